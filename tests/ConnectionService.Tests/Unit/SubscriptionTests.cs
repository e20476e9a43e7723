using System.Text;
using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.ConnectionService.Protocol;
using RealtimeAspire.ConnectionService.Subscriptions;
using RealtimeAspire.Contracts.Auth;

namespace RealtimeAspire.ConnectionService.Tests.Unit;

/// <summary>The ordering guarantee of one subscription, driven in memory.</summary>
public sealed class SubscriptionTests
{
    private readonly TestConnection _connection = new();
    private readonly List<long> _gaps = [];

    [Fact]
    public void LiveMessagesAreDeliveredInOrderOnceEach()
    {
        var subscription = NewSubscription();
        subscription.BeginCatchUp();
        Assert.True(subscription.ReleaseHeldBack());

        foreach (var seq in new long[] { 1, 2, 2, 3, 1 })
        {
            subscription.OnLive(Message(seq));
        }

        Assert.Equal([1, 2, 3], Delivered());
    }

    [Fact]
    public async Task MessagesArrivingDuringCatchUpFollowHistoryWithoutDuplicates()
    {
        var subscription = NewSubscription();
        subscription.BeginCatchUp();
        // Published while history was being read: 4 and 5 are in both.
        subscription.OnLive(Message(5));
        subscription.OnLive(Message(4));
        subscription.OnLive(Message(6));

        Assert.True(await subscription.DeliverHistoryAsync(2, [Message(3), Message(4), Message(5)], CancellationToken.None));
        Assert.True(subscription.ReleaseHeldBack());
        subscription.OnLive(Message(7));

        Assert.Equal([3, 4, 5, 6, 7], Delivered());
    }

    [Fact]
    public async Task AHeldBackMessageBeyondHistoryMeansReadAgain()
    {
        var subscription = NewSubscription();
        subscription.BeginCatchUp();
        subscription.OnLive(Message(9));

        Assert.True(await subscription.DeliverHistoryAsync(0, [Message(1), Message(2)], CancellationToken.None));
        Assert.False(subscription.ReleaseHeldBack());
        Assert.Equal(2, subscription.LastSeq);
        Assert.True(await subscription.DeliverHistoryAsync(2, [Message(3), Message(4), Message(5), Message(6), Message(7), Message(8)], CancellationToken.None));
        Assert.True(subscription.ReleaseHeldBack());

        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), Delivered());
    }

    [Fact]
    public async Task HistoryWithAHoleIsRefused()
    {
        var subscription = NewSubscription();
        subscription.BeginCatchUp();

        Assert.False(await subscription.DeliverHistoryAsync(0, [Message(1), Message(3)], CancellationToken.None));
        Assert.Equal([1], Delivered());
    }

    [Fact]
    public void ALiveGapStartsACatchUpAndHoldsBackWhatFollows()
    {
        var subscription = NewSubscription();
        subscription.BeginCatchUp();
        subscription.ReleaseHeldBack();
        subscription.OnLive(Message(1));

        subscription.OnLive(Message(3));
        subscription.OnLive(Message(4));

        Assert.Equal([1], _gaps);
        Assert.Equal([1], Delivered());
        Assert.True(subscription.IsCatchingUp);
    }

    [Fact]
    public void TooManyHeldBackMessagesCloseTheConnectionAsASlowConsumer()
    {
        var subscription = NewSubscription(maxPending: 2);
        subscription.BeginCatchUp();

        subscription.OnLive(Message(1));
        subscription.OnLive(Message(2));
        subscription.OnLive(Message(3));

        Assert.Equal(Protocol.CloseReason.SlowConsumer, _connection.CloseReason);
    }

    private Subscription NewSubscription(int maxPending = 100) =>
        new(_connection, "chat:a", durable: true, maxPending, s => _gaps.Add(s.LastSeq));

    private static LiveMessage Message(long seq) => new(seq, 0, FrameKind.Message, Encoding.UTF8.GetBytes($"{{\"seq\":{seq}}}"));

    private List<long> Delivered()
    {
        var seqs = new List<long>();
        while (_connection.Outbound.TryRead(out var frame))
        {
            seqs.Add(frame.Seq);
        }
        return seqs;
    }

    private sealed class TestConnection() : RealtimeConnection("test", new RealtimeUser("u", "u", new ChannelPermissions("u", ["*"], ["*"])), new ConnectionLimitsOptions());
}
