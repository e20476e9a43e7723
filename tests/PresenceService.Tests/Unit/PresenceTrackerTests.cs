using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.ConnectionService.Channels;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.ConnectionService.Presence;
using RealtimeAspire.ConnectionService.Subscriptions;
using RealtimeAspire.Contracts;
using RealtimeAspire.Contracts.Auth;

namespace RealtimeAspire.PresenceService.Tests.Unit;

/// <summary>Connection.Service's side: the replica's membership and the changes it queues for Presence.Service.</summary>
public sealed class PresenceTrackerTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);
    private static readonly ChannelName Chat = ChannelName.Parse("chat:a");
    private static readonly NamespaceOptions WithPresence = new() { Presence = true };
    private static readonly NamespaceOptions WithoutPresence = new() { Presence = false };

    private readonly FakeTimeProvider _time = new();

    private PresenceTracker Tracker(int capacity = 1024) =>
        new(Options.Create(new PresenceReportingOptions { LongPollGrace = Grace, QueueCapacity = capacity }), _time);

    private sealed class TestConnection(string transport, string user) : RealtimeConnection(
        transport, new RealtimeUser(user, user.ToUpperInvariant(), new ChannelPermissions(user, ["*"], ["*"])), new ConnectionLimitsOptions(), perRequest: transport == "longpoll");

    private static TestConnection Subscribed(string transport, string user, ChannelName channel)
    {
        var connection = new TestConnection(transport, user);
        connection.Subscriptions.TryAdd(channel.Value, new Subscription(connection, channel.Value, durable: true, maxPending: 16, _ => { }));
        return connection;
    }

    private static List<(bool Join, string Connection, string User)> Drain(PresenceTracker tracker)
    {
        var changes = new List<(bool, string, string)>();
        while (tracker.Changes.TryRead(out var change))
        {
            changes.Add((change.Join, change.Member.Connection, change.Member.User));
        }
        return changes;
    }

    [Fact]
    public void ASubscriptionInAPresenceNamespaceJoinsOnceAndLeavesOnce()
    {
        var tracker = Tracker();
        var connection = Subscribed("websocket", "alice", Chat);

        tracker.Joined(connection, Chat, WithPresence);
        tracker.Joined(connection, Chat, WithPresence);
        tracker.Left(connection, Chat.Value);
        tracker.Left(connection, Chat.Value);

        Assert.Equal([(true, connection.Id, "alice"), (false, connection.Id, "alice")], Drain(tracker));
    }

    [Fact]
    public void NamespacesWithoutPresenceAreNotTracked()
    {
        var tracker = Tracker();
        var feed = ChannelName.Parse("feed:x");
        var connection = Subscribed("websocket", "alice", feed);

        tracker.Joined(connection, feed, WithoutPresence);
        tracker.Left(connection, feed.Value);

        Assert.Empty(Drain(tracker));
        Assert.Empty(tracker.TakeSnapshot());
    }

    [Fact]
    public void AJoinThatArrivesAfterItsSubscriptionWasRemovedIsIgnored()
    {
        var tracker = Tracker();
        var connection = Subscribed("websocket", "alice", Chat);
        connection.Subscriptions.TryRemove(Chat.Value, out _);
        tracker.Left(connection, Chat.Value);

        tracker.Joined(connection, Chat, WithPresence);

        Assert.Empty(Drain(tracker));
    }

    [Fact]
    public void ALongPollClientStaysWhileItKeepsPollingAndLeavesAfterTheGrace()
    {
        var tracker = Tracker();
        var firstPoll = Subscribed("longpoll", "bob", Chat);
        tracker.Joined(firstPoll, Chat, WithPresence);
        tracker.Left(firstPoll, Chat.Value);
        _time.Advance(Grace - TimeSpan.FromMilliseconds(1));
        tracker.EndExpiredGraces();
        var secondPoll = Subscribed("longpoll", "bob", Chat);
        tracker.Joined(secondPoll, Chat, WithPresence);
        _time.Advance(Grace * 2);
        tracker.EndExpiredGraces();
        Assert.Equal([(true, "poll:bob", "bob")], Drain(tracker));

        tracker.Left(secondPoll, Chat.Value);
        _time.Advance(Grace - TimeSpan.FromMilliseconds(1));
        tracker.EndExpiredGraces();
        Assert.Empty(Drain(tracker));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        tracker.EndExpiredGraces();
        Assert.Equal([(false, "poll:bob", "bob")], Drain(tracker));
    }

    [Fact]
    public void AnOverflowingQueueAsksForARefreshWhoseSnapshotHoldsEveryone()
    {
        var tracker = Tracker(capacity: 16);
        for (var i = 0; i < 20; i++)
        {
            tracker.Joined(Subscribed("sse", $"user{i}", Chat), Chat, WithPresence);
        }
        Assert.True(tracker.Overflowed);

        var snapshot = tracker.TakeSnapshot();

        Assert.Equal(20, snapshot.Count);
        Assert.False(tracker.Overflowed);
        Assert.Empty(Drain(tracker));
    }
}
