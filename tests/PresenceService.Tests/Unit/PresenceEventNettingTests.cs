using System.Text;
using System.Text.Json;
using RealtimeAspire.PresenceService.Events;
using RealtimeAspire.PresenceService.Store;

namespace RealtimeAspire.PresenceService.Tests.Unit;

public sealed class PresenceEventNettingTests
{
    private static PresenceTransition T(string user, bool joined) => new("chat:a", user, user.ToUpperInvariant(), joined);

    [Fact]
    public void AUserWhoJoinsAndLeavesWithinOneWindowIsNotAnnounced()
    {
        var (joined, left) = PresenceEventBatcher.Net([T("alice", true), T("bob", true), T("alice", false)]);

        Assert.Equal(["bob"], joined.Select(t => t.User));
        Assert.Empty(left);
    }

    [Fact]
    public void AUserWhoLeavesAndComesBackWithinOneWindowIsNotAnnounced()
    {
        var (joined, left) = PresenceEventBatcher.Net([T("alice", false), T("alice", true), T("carol", false)]);

        Assert.Empty(joined);
        Assert.Equal(["carol"], left.Select(t => t.User));
    }

    [Fact]
    public void TheFrameIsTheFanoutPayloadOfAnUnsequencedPresenceFrame()
    {
        var payload = Encoding.UTF8.GetString(PresenceFrame.Payload("chat:a", 7, [T("alice", true)], [T("bob", false)], 1234));

        var newline = payload.IndexOf('\n', StringComparison.Ordinal);
        Assert.Equal("0 1234 p", payload[..newline]);
        using var frame = JsonDocument.Parse(payload[(newline + 1)..]);
        Assert.Equal("""{"type":"presence","channel":"chat:a","count":7,"joined":[{"user":"alice","name":"ALICE"}],"left":[{"user":"bob","name":"BOB"}]}""",
            frame.RootElement.GetRawText());
    }

    [Fact]
    public void ASummaryNamesNobodyAndCountsTheChanges()
    {
        var payload = Encoding.UTF8.GetString(PresenceFrame.Summary("chat:a", 10_001, 37, 2, 1234));

        var newline = payload.IndexOf('\n', StringComparison.Ordinal);
        Assert.Equal("0 1234 p", payload[..newline]);
        using var frame = JsonDocument.Parse(payload[(newline + 1)..]);
        Assert.Equal("""{"type":"presence","channel":"chat:a","count":10001,"joined":[],"left":[],"summary":{"joined":37,"left":2}}""",
            frame.RootElement.GetRawText());
    }
}
