using RealtimeAspire.Reliability.Tests.Scenario;
using Xunit.Abstractions;

namespace RealtimeAspire.Reliability.Tests.Faults;

/// <summary>
/// The Kafka broker unavailable for 30 s under the load. While it is down every publish must be refused with the
/// retryable <c>publish_failed</c> (docs/protocol.md) and none acknowledged; then the broker comes back (the dev
/// broker comes back empty, so what Message.Service had not consumed yet is repaired from Redis history) and
/// everything acknowledged is persisted once.
/// </summary>
[Collection(nameof(ReliabilityCollection))]
public sealed class KafkaBrokerTests(ReliabilityTopology topology, ITestOutputHelper output)
{
    public const string Broker = "kafka";
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);

    /// <summary>An ack Kafka gave just before the stop may still be on its way to the client for this long.</summary>
    private static readonly TimeSpan AckInFlight = TimeSpan.FromSeconds(2);

    /// <summary>Refusals the load may see while the broker is down: the retryable one, and the load's own window being full.</summary>
    private static readonly string[] OutageRefusals = ["publish_failed", AcknowledgedLoad.Skipped];

    [Fact]
    public async Task TheBrokerDownFor30SecondsRefusesPublishesWithARetryableErrorAndLosesNothingAcknowledged()
    {
        TimeSpan stopped = default, restarting = default;
        await new FaultScenario(topology, output).RunAsync(new Fault("Kafka broker down 30 s", async context =>
        {
            var broker = context.Topology.Instance(Broker);
            await broker.StopAsync();
            stopped = context.Clock.Elapsed;
            context.Note($"stopped {Broker} at {stopped.TotalSeconds:0.0} s");
            // The outage is the fault itself: it is held for its length, whatever the load does meanwhile.
            await Task.Delay(Outage);
            restarting = context.Clock.Elapsed;
            await broker.StartAsync();
            context.Note($"started {Broker} at {restarting.TotalSeconds:0.0} s (an empty broker: the dev broker keeps nothing)");
        })
        {
            Duration = Outage,
            IsRecoveredAsync = context => Task.FromResult(context.Topology.Instance(Broker).IsHealthy),
            AfterRecoveryAsync = context =>
            {
                var outage = (From: stopped + AckInFlight, To: restarting);
                var falseAcks = context.Load.Acks.Where(a => a.At > outage.From && a.At < outage.To).ToList();
                var refused = context.Load.Refusals.Where(r => r.At > outage.From && r.At < outage.To).ToList();
                var codes = refused.GroupBy(r => r.Code).ToDictionary(g => g.Key, g => g.Count());
                context.Note($"while down ({outage.From.TotalSeconds:0.0}–{outage.To.TotalSeconds:0.0} s): {falseAcks.Count} acks, refused "
                    + string.Join(", ", codes.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}")));
                Assert.True(falseAcks.Count == 0, $"{falseAcks.Count} publishes acknowledged while the broker was down, first: {falseAcks.FirstOrDefault()}");
                Assert.True(codes.GetValueOrDefault("publish_failed") > 0, "No publish was refused with publish_failed while the broker was down.");
                Assert.All(codes.Keys, code => Assert.Contains(code, OutageRefusals));
                return Task.CompletedTask;
            },
        });
    }
}
