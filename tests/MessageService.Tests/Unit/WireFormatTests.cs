using RealtimeAspire.MessageService.Consumers;
using RealtimeAspire.Testing.Architecture;

namespace RealtimeAspire.MessageService.Tests.Unit;

/// <summary>Message.Service reads the envelope and the frames in Redis history through Contracts/Wire only (<see cref="WireFormatRule"/>).</summary>
public sealed class WireFormatTests
{
    [Fact]
    public void MessageServiceLeavesTheWireMessageToContractsWire()
    {
        var violations = WireFormatRule.Violations(typeof(EnvelopeParser).Assembly);

        Assert.True(violations.Count == 0, "The wire message is written or parsed outside Contracts/Wire:\n" + string.Join('\n', violations));
    }
}
