using RealtimeAspire.PresenceService.Events;
using RealtimeAspire.Testing.Architecture;

namespace RealtimeAspire.PresenceService.Tests.Unit;

/// <summary>Presence.Service writes the fan-out header of its presence frames through Contracts/Wire only (<see cref="WireFormatRule"/>).</summary>
public sealed class WireFormatTests
{
    [Fact]
    public void PresenceServiceLeavesTheWireMessageToContractsWire()
    {
        var violations = WireFormatRule.Violations(typeof(PresenceFrame).Assembly);

        Assert.True(violations.Count == 0, "The wire message is written or parsed outside Contracts/Wire:\n" + string.Join('\n', violations));
    }
}
