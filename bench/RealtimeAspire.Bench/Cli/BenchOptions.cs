namespace RealtimeAspire.Bench.Cli;

internal enum Via
{
    Direct,
    Edge,
    Nginx,
}

/// <summary>Everything a run needs, parsed and validated by <see cref="BenchArguments"/>.</summary>
internal sealed record BenchOptions
{
    public required string Scenario { get; init; }
    public Via Via { get; init; } = Via.Direct;
    public Uri Edge { get; init; } = new("http://localhost:5000");
    public int? EdgePid { get; init; }
    public string DataPath { get; init; } = ".data";
    public string? Out { get; init; }
    public int Subscribers { get; init; } = 1000;
    public double Rate { get; init; } = 20;
    public double Duration { get; init; } = 20;
    public int Size { get; init; } = 100;
    public int Rooms { get; init; } = 500;
    public int Members { get; init; } = 10;
    public int Connections { get; init; } = 10_000;
    public IReadOnlyList<string> Transports { get; init; } = ["websocket", "sse", "longpoll"];
    public int Replica { get; init; }
    public int Messages { get; init; } = 20_000;
    public int Publishers { get; init; } = 6;
    public int Channels { get; init; } = 12;
    public bool Reference { get; init; } = true;
    public bool SignalR { get; init; } = true;
    public int ReferenceInstances { get; init; } = 3;
    public string? ReferenceRedis { get; init; }
    public int ConnectConcurrency { get; init; } = 64;
    public double DrainSeconds { get; init; } = 5;
    public string Namespace { get; init; } = "feed";
    public int Rounds { get; init; } = 1;
    public bool FreshReplica { get; init; }
    public double HoldSeconds { get; init; }
    public int Concurrency { get; init; } = 200;
    public double QuietSeconds { get; init; } = 2;
    public double SettleTimeoutSeconds { get; init; } = 120;
    public bool Leave { get; init; } = true;
}
