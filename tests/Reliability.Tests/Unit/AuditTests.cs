using RealtimeAspire.Reliability.Tests.Scenario;

namespace RealtimeAspire.Reliability.Tests.Unit;

/// <summary>The audit finds each kind of failure it is there for (pure: no topology).</summary>
public sealed class AuditTests
{
    private const string Channel = "chat:a";

    private static Acked Ack(long seq, string? msgId = null) => new(Channel, seq, msgId ?? $"m{seq}", $"k{seq}", TimeSpan.FromSeconds(seq));

    private static PersistedRow Row(long seq, string? msgId = null) => new(Channel, seq, msgId ?? $"m{seq}", Repaired: false);

    private static readonly HashSet<long> s_acked = [1, 2, 3];

    [Fact]
    public void EveryAcknowledgedMessagePersistedOnceAndSeenInOrderIsClean()
    {
        var audit = AuditResult.FromAudits([Ack(1), Ack(2), Ack(3)], [Row(1), Row(2), Row(3)], [SubscriberAudit.Of("ws", [1, 2, 3], s_acked, null)]);

        Assert.Equal((3, 0, 0, 0, 0, 0), (audit.Acked, audit.Lost, audit.Duplicates, audit.Holes.Count, audit.Missed, audit.OutOfOrder));
    }

    [Fact]
    public void AnAcknowledgedMessageMissingFromPostgresOrPersistedUnderAnotherIdIsLost()
    {
        var audit = AuditResult.FromAudits([Ack(1), Ack(2), Ack(3)], [Row(1), Row(3, "other")], []);

        Assert.Equal(2, audit.Lost);
        Assert.Single(audit.Holes);
        Assert.Contains("chat:a@3 m3 (persisted: other)", audit.FirstLost);
    }

    [Fact]
    public void AMessagePersistedTwiceOrASeqAcknowledgedTwiceIsADuplicate()
    {
        Assert.Equal(1, AuditResult.FromAudits([Ack(1), Ack(2)], [Row(1), Row(2), Row(3, "m1")], []).Duplicates);
        Assert.Equal(1, AuditResult.FromAudits([Ack(1), Ack(1, "again")], [Row(1)], []).ReusedAcks);
    }

    [Fact]
    public void ASubscriberThatMissedRepeatedOrReorderedMessagesIsCaught()
    {
        var audit = SubscriberAudit.Of("sse", [1, 3, 3, 2], s_acked, null);
        Assert.Equal((0, 1, 1), (audit.Missed, audit.Duplicates, audit.OutOfOrder));

        var missed = SubscriberAudit.Of("poll", [1], s_acked, "ended");
        Assert.Equal([2L, 3L], missed.FirstMissed);
        Assert.Equal("ended", missed.Ended);
    }

    [Fact]
    public void UnacknowledgedMessagesASubscriberGotInOrderAreNotHeldAgainstTheService()
    {
        // Seq 2 was fanned out, then its publish failed (not acknowledged): it may reach subscribers and PostgreSQL.
        var audit = AuditResult.FromAudits([Ack(1), Ack(3)], [Row(1), Row(2), Row(3)], [SubscriberAudit.Of("ws", [1, 2, 3], new HashSet<long> { 1, 3 }, null)]);

        Assert.Equal((0, 0, 0, 0), (audit.Lost, audit.Duplicates, audit.Missed, audit.OutOfOrder));
    }
}
