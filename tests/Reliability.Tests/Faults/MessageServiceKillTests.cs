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
    [Fact]
    public async Task KillingMessageServicePersistsEveryAcknowledgedMessageExactlyOnceAfterItsRestart() =>
        await new FaultScenario(topology, output).RunAsync(KillFault.Of("kill -9 message-service", "message-service"));
}
