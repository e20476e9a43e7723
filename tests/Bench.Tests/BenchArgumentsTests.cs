using RealtimeAspire.Bench.Cli;

namespace RealtimeAspire.Bench.Tests;

public class BenchArgumentsTests
{
    [Fact]
    public void FanoutWithOptionsParses()
    {
        var result = BenchArguments.Parse(["fanout", "--subscribers", "1000", "--rate", "20", "--duration=20", "--via", "edge", "--out", "x.json"]);
        Assert.Empty(result.Errors);
        var o = result.Options!;
        Assert.Equal(("fanout", 1000, 20.0, 20.0, Via.Edge, "x.json"), (o.Scenario, o.Subscribers, o.Rate, o.Duration, o.Via, o.Out));
    }

    [Fact]
    public void DefaultsApplyWhenOptionsAreOmitted()
    {
        var o = BenchArguments.Parse(["chat"]).Options!;
        Assert.Equal((500, 10, 500.0, Via.Direct, true, true), (o.Rooms, o.Members, o.Rate, o.Via, o.Reference, o.SignalR));
        Assert.False(BenchArguments.Parse(["fanout", "--signalr", "off"]).Options!.SignalR);
        Assert.Equal(20.0, BenchArguments.Parse(["fanout"]).Options!.Rate);
    }

    [Fact]
    public void EdgePidIsTheAppHostsEdgeUnlessGiven()
    {
        Assert.Null(BenchArguments.Parse(["fanout", "--via", "edge"]).Options!.EdgePid);
        Assert.Equal(4242, BenchArguments.Parse(["fanout", "--via", "edge", "--edge-pid", "4242"]).Options!.EdgePid);
        Assert.Contains(BenchArguments.Parse(["fanout", "--edge-pid", "0"]).Errors, e => e.StartsWith("--edge-pid must be between 1", StringComparison.Ordinal));
    }

    [Fact]
    public void MissingScenarioIsReported()
    {
        var result = BenchArguments.Parse(["--rate", "1"]);
        Assert.Null(result.Options);
        Assert.Contains(result.Errors, e => e.Contains("missing scenario", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryErrorIsReportedWithItsOption()
    {
        var result = BenchArguments.Parse(["fanot", "--subscribers", "many", "--via", "proxy", "--rate", "-3", "--bogus", "1", "--out"]);
        Assert.Null(result.Options);
        Assert.Contains(result.Errors, e => e.StartsWith("unknown scenario 'fanot'", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("--subscribers must be a whole number", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("--via must be one of direct|edge", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("--rate must be between", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e == "unknown option --bogus");
        Assert.Contains(result.Errors, e => e == "--out needs a value");
    }

    [Fact]
    public void TransportsAreValidated()
    {
        Assert.Equal(["sse", "longpoll"], BenchArguments.Parse(["connections", "--transports", "sse,longpoll"]).Options!.Transports);
        Assert.Contains(BenchArguments.Parse(["connections", "--transports", "sse,grpc"]).Errors, e => e.Contains("unknown 'grpc'", StringComparison.Ordinal));
    }

    [Fact]
    public void RepeatedOptionsAndStrayValuesAreErrors()
    {
        var errors = BenchArguments.Parse(["persist", "--messages", "1", "--messages", "2", "stray"]).Errors;
        Assert.Contains("--messages given twice", errors);
        Assert.Contains(errors, e => e.StartsWith("unexpected argument 'stray'", StringComparison.Ordinal));
    }

    [Fact]
    public void UrlsMustBeAbsoluteHttp()
    {
        Assert.Contains(BenchArguments.Parse(["fanout", "--edge", "localhost:5000"]).Errors, e => e.StartsWith("--edge must be an absolute http(s) URL", StringComparison.Ordinal));
        Assert.Equal(new Uri("http://localhost:5100"), BenchArguments.Parse(["fanout", "--edge", "http://localhost:5100"]).Options!.Edge);
    }

    [Fact]
    public void RoundsFreshReplicaAndHoldParse()
    {
        var o = BenchArguments.Parse(["connections", "--rounds", "3", "--fresh-replica", "on", "--hold", "90"]).Options!;
        Assert.Equal((3, true, 90.0), (o.Rounds, o.FreshReplica, o.HoldSeconds));
        Assert.Contains(BenchArguments.Parse(["fanout", "--rounds", "0"]).Errors, e => e.StartsWith("--rounds must be between 1 and 100", StringComparison.Ordinal));
    }
}
