using System.Diagnostics;
using RealtimeAspire.Bench.Clients;

namespace RealtimeAspire.Bench.Scenarios;

/// <summary>Opens many sockets with bounded concurrency, measuring the connect rate; disposes them all.</summary>
internal sealed class SocketFleet : IAsyncDisposable
{
    private SocketFleet(BenchSocket?[] sockets, double seconds, int failed, string? firstError)
    {
        Sockets = sockets;
        ConnectSeconds = seconds;
        Failed = failed;
        FirstError = firstError;
    }

    public BenchSocket?[] Sockets { get; }

    public double ConnectSeconds { get; }

    public int Failed { get; }

    public string? FirstError { get; }

    public int Opened => Sockets.Length - Failed;

    public double ConnectsPerSecond => Opened / Math.Max(ConnectSeconds, 1e-6);

    /// <summary><paramref name="open"/> connects (and subscribes) socket i; a failure is counted, not thrown.</summary>
    public static async Task<SocketFleet> OpenAsync(int count, int concurrency, Func<int, CancellationToken, Task<BenchSocket>> open, CancellationToken cancellationToken)
    {
        var sockets = new BenchSocket?[count];
        var failed = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            try
            {
                sockets[i] = await open(i, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref failed);
                Interlocked.CompareExchange(ref firstError, ex.GetBaseException().Message, null);
            }
        });
        var fleet = new SocketFleet(sockets, clock.Elapsed.TotalSeconds, failed, firstError);
        if (failed > 0)
        {
            Console.WriteLine($"  {failed} of {count} connections failed; first error: {firstError}");
        }
        return fleet;
    }

    public async ValueTask DisposeAsync()
    {
        await Parallel.ForEachAsync(Sockets, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (socket, _) =>
        {
            if (socket is not null)
            {
                await socket.DisposeAsync();
            }
        });
    }
}
