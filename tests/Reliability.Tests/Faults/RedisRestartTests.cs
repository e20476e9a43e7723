using Aspire.Hosting.ApplicationModel;
using RealtimeAspire.Reliability.Tests.Scenario;
using Xunit.Abstractions;

namespace RealtimeAspire.Reliability.Tests.Faults;

/// <summary>
/// A restart of Redis (Aspire's stop command, then start). The local Redis keeps nothing on disk, so sequence
/// counters, recent history and presence are gone: counters come back from Message.Service (PostgreSQL), history
/// from Message.Service's history API, presence from the replicas' refresh (docs/redis.md).
/// </summary>
[Collection(nameof(ReliabilityCollection))]
public sealed class RedisRestartTests(ReliabilityTopology topology, ITestOutputHelper output)
{
    private const string Redis = "redis";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RestartingRedisLosesNoAcknowledgedMessageAndReusesNoSequenceNumber()
    {
        await new FaultScenario(topology, output).RunAsync(new Fault("redis restart", async context =>
        {
            var redis = context.Topology.Instance(Redis);
            var pid = redis.ProcessId;
            var acked = context.Load.Acks.Count;
            await redis.StopAsync();
            await context.Topology.WaitAsync(() => KnownResourceStates.TerminalStates.Contains(redis.State), s_timeout, "redis stopped", Redis);
            await redis.StartAsync();
            context.Note($"stopped redis (pid {pid}) at {acked} acks and started it again: its counters, history and presence are empty");
        })
        {
            IsRecoveredAsync = context => Task.FromResult(context.Topology.Workload.All(r => r.IsHealthy)),
        });
    }
}
