using RealtimeAspire.Reliability.Tests.Scenario;
using Xunit.Abstractions;

namespace RealtimeAspire.Reliability.Tests.Faults;

/// <summary>
/// kill -9 of Message.Service (the Kafka consumer that writes PostgreSQL): publishes keep being acknowledged (Kafka
/// holds them); after the restart it resumes from its committed offsets and persists each exactly once.
/// </summary>
[Collection(nameof(ReliabilityCollection))]
public sealed class MessageServiceKillTests(ReliabilityTopology topology, ITestOutputHelper output)
{
    private const string MessageService = "message-service";

    [Fact]
    public async Task KillingMessageServicePersistsEveryAcknowledgedMessageExactlyOnceAfterItsRestart()
    {
        (int Restarts, int? Pid) before = default;
        await new FaultScenario(topology, output).RunAsync(new Fault("kill -9 message-service", context =>
        {
            before = context.Before(MessageService);
            var pid = context.Topology.Kill(MessageService);
            context.Note($"killed message-service (pid {pid}) at {context.Load.Acks.Count} acks");
            return Task.CompletedTask;
        })
        {
            IsRecoveredAsync = context => Task.FromResult(context.RestartedAndHealthy(MessageService, before)),
        });
    }
}
