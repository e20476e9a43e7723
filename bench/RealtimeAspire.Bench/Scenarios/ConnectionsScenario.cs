using System.Diagnostics;
using RealtimeAspire.Bench.Cli;
using RealtimeAspire.Bench.Clients;
using RealtimeAspire.Bench.Reporting;
using RealtimeAspire.Bench.Topology;

namespace RealtimeAspire.Bench.Scenarios;

/// <summary>
/// N idle connections per transport, each subscribed to one channel. Memory per connection = RSS delta of the server
/// process(es) / N (direct: the one replica <c>--replica</c>; edge: all replicas, the edge reported apart). The
/// reference servers (raw and SignalR) are measured with WebSockets only, on one instance each.
/// </summary>
internal static class ConnectionsScenario
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(4);
    private const int ConnectionsPerUser = 20;

    public static async Task<(IReadOnlyList<object>, IReadOnlyList<Comparison>)> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var o = context.Options;
        var runs = new List<ConnectionsRun>();
        ConnectionsRun? reference = null;
        if (o.Reference && o.Transports.Contains("websocket"))
        {
            await using var host = await context.StartReferenceAsync(1, cancellationToken);
            reference = await RunOnceAsync(context, BenchContext.Reference(host), "websocket", null, cancellationToken);
            runs.Add(reference);
        }
        ConnectionsRun? signalR = null;
        if (o.SignalR && o.Transports.Contains("websocket"))
        {
            await using var host = await context.StartSignalRAsync(1, cancellationToken);
            signalR = await RunOnceAsync(context, BenchContext.SignalR(host), "websocket", null, cancellationToken);
            runs.Add(signalR);
        }
        var product = context.Product();
        IReadOnlyList<int>? edgePids = null;
        if (o.Via == Via.Direct)
        {
            var replica = context.Topology.Replicas[o.Replica];
            product = product with { Endpoints = [AppHostTopology.EndpointOf(replica)], MemoryPids = [replica.Pid ?? 0], Name = $"product ({replica.Name})" };
        }
        else
        {
            edgePids = product.EdgePids ?? [];
            product = product with { MemoryPids = [.. product.MemoryPids.Except(edgePids)] };
        }
        var users = Enumerable.Range(0, (o.Connections + ConnectionsPerUser - 1) / ConnectionsPerUser).Select(i => $"bench-idle-{context.RunId}-{i}").ToArray();
        var tokens = await context.Tokens.IssueManyAsync(users, cancellationToken);
        foreach (var transport in o.Transports)
        {
            if (o.FreshReplica && o.Via == Via.Direct)
            {
                // A process keeps the heap an earlier transport grew: each transport gets a fresh replica.
                var fresh = await context.RestartAsync(context.Topology.Replicas[o.Replica].Name, cancellationToken);
                product = product with { Endpoints = [AppHostTopology.EndpointOf(fresh)], MemoryPids = [fresh.Pid ?? 0] };
            }
            runs.Add(await RunOnceAsync(context, product, transport, (tokens, edgePids), cancellationToken));
        }
        var table = new ConsoleTable("target", "transport", "opened", "failed", "connects/s", "KB/conn", "edge KB/conn");
        foreach (var run in runs)
        {
            table.Add(run.Target, run.Transport, run.Opened, run.Failed, run.ConnectsPerSecond, run.BytesPerConnection / 1024, run.EdgeBytesPerConnection / 1024);
        }
        Console.WriteLine(table);
        var productWs = runs.FirstOrDefault(r => r != reference && r != signalR && r.Transport == "websocket");
        return (runs, [.. Compare(productWs, reference, ""), .. Compare(productWs, signalR, " vs signalr")]);
    }

    private static IReadOnlyList<Comparison> Compare(ConnectionsRun? product, ConnectionsRun? reference, string suffix) =>
        product is null || reference is null ? [] :
        [
            new("websocket KB/conn" + suffix, Math.Round(product.BytesPerConnection / 1024, 2), Math.Round(reference.BytesPerConnection / 1024, 2)),
            new("websocket connects/s" + suffix, product.ConnectsPerSecond, reference.ConnectsPerSecond),
        ];

    private static async Task<ConnectionsRun> RunOnceAsync(BenchContext context, Target target, string transport, (string[] Tokens, IReadOnlyList<int>? EdgePids)? product, CancellationToken cancellationToken)
    {
        var o = context.Options;
        var channel = target.Channel("feed", $"bench-idle-{context.RunId}");
        Console.WriteLine($"[{target.Name}] {o.Connections} idle {transport} connections");
        await WarmUpAsync(context, target, transport, channel, product?.Tokens, cancellationToken);
        var before = await SettledRssAsync(target.MemoryPids, cancellationToken);
        var edgeBefore = product?.EdgePids is { } ep ? ep.Sum(ProcessMemory.RssBytes) : 0;

        var connections = new IIdleConnection?[o.Connections];
        var failed = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, o.Connections, new ParallelOptions { MaxDegreeOfParallelism = o.ConnectConcurrency, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            try
            {
                connections[i] = await OpenAsync(context, target, transport, channel, product?.Tokens[i / ConnectionsPerUser], i, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref failed);
                Interlocked.CompareExchange(ref firstError, ex.GetBaseException().Message, null);
            }
        });
        var seconds = clock.Elapsed.TotalSeconds;
        var opened = o.Connections - failed;
        if (failed > 0)
        {
            Console.WriteLine($"  {failed} failed; first error: {firstError}");
        }
        var after = await SettledRssAsync(target.MemoryPids, cancellationToken);
        var edgeAfter = product?.EdgePids is { } ep2 ? ep2.Sum(ProcessMemory.RssBytes) : 0;
        var run = new ConnectionsRun(target.Name, transport, o.Connections, opened, failed, Math.Round(opened / seconds, 1), before, after,
            Math.Round((double)(after - before) / Math.Max(opened, 1), 0),
            product?.EdgePids is null ? null : Math.Round((double)(edgeAfter - edgeBefore) / Math.Max(opened, 1), 0));
        Console.WriteLine($"  {opened} open in {seconds:0.0} s ({run.ConnectsPerSecond:0}/s), {run.BytesPerConnection / 1024:0.00} KB per connection");

        if (o.HoldSeconds > 0)
        {
            Console.WriteLine($"  holding {opened} connections for {o.HoldSeconds} s (server pids: {string.Join(",", target.MemoryPids)})");
            await Task.Delay(TimeSpan.FromSeconds(o.HoldSeconds), cancellationToken);
        }
        await Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (c, _) =>
        {
            if (c is not null)
            {
                await c.DisposeAsync();
            }
        });
        await Task.Delay(Settle, cancellationToken);
        return run;
    }

    /// <summary>A few hundred connections opened and closed first, so start-up costs (JIT, pools) are not counted.</summary>
    private static async Task WarmUpAsync(BenchContext context, Target target, string transport, string channel, string[]? tokens, CancellationToken cancellationToken)
    {
        var count = Math.Min(200, context.Options.Connections);
        var warm = new IIdleConnection?[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = context.Options.ConnectConcurrency, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            try
            {
                warm[i] = await OpenAsync(context, target, transport, channel, tokens?[i / ConnectionsPerUser], i, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
            }
        });
        foreach (var c in warm)
        {
            if (c is not null)
            {
                await c.DisposeAsync();
            }
        }
    }

    private static async Task<IIdleConnection> OpenAsync(BenchContext context, Target target, string transport, string channel, string? token, int i, CancellationToken ct)
    {
        var endpoint = target.EndpointFor(i);
        switch (transport)
        {
            case "websocket":
                var socket = await BenchSocket.ConnectAsync(target.WebSocketUri(i, channel), token, null, null, ct, target.Kind == TargetKind.SignalR);
                if (target.IsProduct)
                {
                    await FanoutScenario.SubscribeAsync(socket, channel, ct);
                }
                return new IdleWebSocket(socket);
            case "sse":
                return await SseStream.OpenAsync(context.Http, new Uri(endpoint, $"/connect/sse?channels={Uri.EscapeDataString(channel)}"), token!, ct);
            default:
                return await LongPoller.OpenAsync(context.Http, new Uri(endpoint, $"/connect/poll?channels={Uri.EscapeDataString(channel)}"), token!, ct);
        }
    }

    /// <summary>RSS summed over the processes, after a pause so that freed and new memory show.</summary>
    private static async Task<long> SettledRssAsync(IReadOnlyList<int> pids, CancellationToken cancellationToken)
    {
        await Task.Delay(Settle, cancellationToken);
        return pids.Sum(ProcessMemory.RssBytes);
    }
}
