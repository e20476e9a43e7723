using System.Threading.Channels;
using Microsoft.Extensions.Options;
using RealtimeAspire.ConnectionService.Channels;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.Contracts;

namespace RealtimeAspire.ConnectionService.Presence;

/// <summary>
/// This replica's presence membership (which connection is in which presence channel) and the queue of changes
/// <see cref="PresenceReporter"/> sends. The queue is bounded: when it overflows, changes are dropped and the
/// next report is a full refresh built from the membership, so nothing is lost for long.
/// </summary>
public sealed class PresenceTracker(IOptions<PresenceReportingOptions> options, TimeProvider time) : IPresenceTracker
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Connection, string Channel), LocalMember> _members = [];
    private readonly Channel<PresenceOp> _changes = Channel.CreateBounded<PresenceOp>(new BoundedChannelOptions(options.Value.QueueCapacity)
    {
        SingleReader = true,
        // Only TryWrite is used: with Wait it reports a full queue (the Drop modes would report success and drop).
        FullMode = BoundedChannelFullMode.Wait,
    });
    private volatile bool _overflowed;

    public ChannelReader<PresenceOp> Changes => _changes.Reader;

    /// <summary>A change could not be queued: the next report must be a full refresh.</summary>
    public bool Overflowed => _overflowed;

    public void Joined(RealtimeConnection connection, ChannelName channel, NamespaceOptions settings)
    {
        if (!settings.Presence)
        {
            return;
        }
        var longPoll = connection.IsPerRequest;
        var key = (Key(connection, longPoll), channel.Value);
        lock (_gate)
        {
            // An unsubscribe that raced ahead of this call has already removed the subscription: nothing to add.
            if (!connection.Subscriptions.ContainsKey(channel.Value))
            {
                return;
            }
            if (_members.TryGetValue(key, out var member))
            {
                if (member.LongPoll)
                {
                    member.ActivePolls++;
                    member.LeavesAt = null;
                }
                return;
            }
            member = new LocalMember(key.Item1, channel.Value, connection.User.Id, connection.User.Name, longPoll) { ActivePolls = longPoll ? 1 : 0 };
            _members.Add(key, member);
            Queue(new PresenceOp(true, member));
        }
    }

    public void Left(RealtimeConnection connection, string channel)
    {
        var longPoll = connection.IsPerRequest;
        var key = (Key(connection, longPoll), channel);
        lock (_gate)
        {
            if (!_members.TryGetValue(key, out var member))
            {
                return;
            }
            if (member.LongPoll)
            {
                if (--member.ActivePolls <= 0)
                {
                    member.ActivePolls = 0;
                    member.LeavesAt = time.GetUtcNow() + options.Value.LongPollGrace;
                }
                return;
            }
            _members.Remove(key);
            Queue(new PresenceOp(false, member));
        }
    }

    /// <summary>Long-poll members whose grace has run out without a new poll leave.</summary>
    public void EndExpiredGraces()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            foreach (var (key, member) in _members)
            {
                if (member is { LongPoll: true, ActivePolls: 0, LeavesAt: { } at } && at <= now)
                {
                    _members.Remove(key);
                    Queue(new PresenceOp(false, member));
                }
            }
        }
    }

    /// <summary>
    /// The whole membership, for a full refresh. Queued changes are discarded: the snapshot already holds their
    /// effect, and changes after it are queued after it, so reports stay in order.
    /// </summary>
    public List<LocalMember> TakeSnapshot()
    {
        lock (_gate)
        {
            while (_changes.Reader.TryRead(out _))
            {
            }
            _overflowed = false;
            return [.. _members.Values];
        }
    }

    private static string Key(RealtimeConnection connection, bool longPoll) => longPoll ? "poll:" + connection.User.Id : connection.Id;

    private void Queue(PresenceOp op)
    {
        if (!_changes.Writer.TryWrite(op))
        {
            _overflowed = true;
        }
    }
}
