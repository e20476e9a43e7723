using System.Text.Json;
using RealtimeAspire.ConnectionService.Channels;
using RealtimeAspire.Contracts;
using RealtimeAspire.Contracts.Wire;
using RealtimeAspire.Integrations.Auth;
using RealtimeAspire.Testing.Architecture;

namespace RealtimeAspire.ConnectionService.Tests.Architecture;

/// <summary>Only <c>Contracts/Wire</c> writes or parses the wire message (<see cref="WireFormatRule"/>).</summary>
public sealed class WireFormatTests
{
    [Fact]
    public void ConnectionServiceLeavesTheWireMessageToContractsWire() =>
        AssertNone(WireFormatRule.Violations(typeof(ChannelGate).Assembly));

    [Fact]
    public void ContractsAndIntegrationsLeaveTheWireMessageToContractsWire()
    {
        AssertNone(WireFormatRule.Violations(typeof(ChannelName).Assembly));
        AssertNone(WireFormatRule.Violations(typeof(ChannelTokenIssuer).Assembly));
    }

    [Fact]
    public void TheRuleFindsAHandWrittenFrameAHandWrittenHeaderAndAHandReadEnvelope()
    {
        var found = WireFormatRule.Violations(typeof(WireFormatTests).Assembly);

        Assert.Contains(found, v => v.StartsWith(typeof(WireFormatTests).FullName + " names the message's fields", StringComparison.Ordinal));
        Assert.Contains(found, v => v.StartsWith(typeof(WireFormatTests).FullName + " writes the fan-out header", StringComparison.Ordinal));
        Assert.Contains(found, v => v.StartsWith(typeof(WireFormatTests).FullName + " serialises MessageEnvelope", StringComparison.Ordinal));
    }

    private static void AssertNone(IReadOnlyList<string> violations) =>
        Assert.True(violations.Count == 0, "The wire message is written or parsed outside Contracts/Wire:\n" + string.Join('\n', violations));

    /// <summary>What the rule must catch (a nested type counts as the type it is nested in); never called.</summary>
    private static class HandWrittenWire
    {
        public static string Frame(long seq, long ts) =>
            $$"""{"type":"message","msgId":"x","from":"alice","ts":{{ts}},"data":1,"seq":{{seq}}}""" + Header(seq, ts);

        public static string Header(long seq, long ts) => $"{seq} {ts} m\n";

        public static MessageEnvelope? Envelope(string json) => JsonSerializer.Deserialize<MessageEnvelope>(json);
    }
}
