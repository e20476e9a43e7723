using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.ConnectionService.Protocol;

namespace RealtimeAspire.ConnectionService.Subscriptions;

/// <summary>
/// One connection's subscription to one channel, and the guarantee that its messages arrive in sequence order,
/// each once, with no gap — across the switch from history to live as well:
/// while catching up, live messages are held back; history is delivered; then the held-back messages follow,
/// skipping what history already delivered. A live message beyond the next position (a lost pub/sub message)
/// starts a new catch-up from history.
/// </summary>
public sealed class Subscription(RealtimeConnection connection, string channel, bool durable, int maxPending, Action<Subscription> onGap)
    : IChannelSubscription
{
    private readonly Lock _gate = new();
    private List<LiveMessage>? _pending;

    public RealtimeConnection Connection { get; } = connection;
    public string Channel { get; } = channel;
    public bool Durable { get; } = durable;

    /// <summary>The position of the last message delivered (durable channels).</summary>
    public long LastSeq { get; private set; }

    public bool IsCatchingUp
    {
        get
        {
            lock (_gate)
            {
                return _pending is not null;
            }
        }
    }

    /// <summary>Holds back live messages until <see cref="ReleaseHeldBack"/>.</summary>
    public void BeginCatchUp()
    {
        lock (_gate)
        {
            _pending ??= [];
        }
    }

    /// <summary>Called by the fan-out for every live message of the channel, in the channel's order.</summary>
    public void OnLive(in LiveMessage message)
    {
        lock (_gate)
        {
            if (_pending is not null)
            {
                if (_pending.Count >= maxPending)
                {
                    Connection.Close(CloseReason.SlowConsumer);
                    return;
                }
                _pending.Add(message);
                return;
            }
            DeliverLocked(message);
        }
    }

    /// <summary>
    /// Delivers missed messages (after <paramref name="after"/>, ascending), waiting for room in the connection's
    /// queue rather than overflowing it. Only called while catching up, when live messages are held back, so it is
    /// the only writer of <see cref="LastSeq"/>. False when <paramref name="history"/> itself has a gap.
    /// </summary>
    public async Task<bool> DeliverHistoryAsync(long after, IReadOnlyList<LiveMessage> history, CancellationToken cancellationToken)
    {
        LastSeq = Math.Max(LastSeq, after);
        foreach (var message in history)
        {
            if (message.Seq <= LastSeq)
            {
                continue;
            }
            if (message.Seq != LastSeq + 1)
            {
                return false;
            }
            await Connection.EnqueueAsync(Frame(message), cancellationToken);
            LastSeq = message.Seq;
        }
        return true;
    }

    /// <summary>
    /// Ends the catch-up: delivers the held-back live messages that follow <see cref="LastSeq"/>, skipping those
    /// history already delivered. False when they do not follow on (a gap): read history again from <see cref="LastSeq"/>.
    /// </summary>
    public bool ReleaseHeldBack()
    {
        lock (_gate)
        {
            var pending = _pending ?? [];
            pending.Sort(static (a, b) => a.Seq.CompareTo(b.Seq));
            for (var i = 0; i < pending.Count; i++)
            {
                var message = pending[i];
                if (message.Seq == 0 || message.Seq == LastSeq + 1)
                {
                    Enqueue(message);
                }
                else if (message.Seq > LastSeq + 1)
                {
                    _pending = pending[i..];
                    return false;
                }
            }
            _pending = null;
            return true;
        }
    }

    private void DeliverLocked(in LiveMessage message)
    {
        if (!Durable || message.Seq == 0)
        {
            Enqueue(message);
            return;
        }
        if (message.Seq <= LastSeq)
        {
            return;
        }
        if (message.Seq > LastSeq + 1)
        {
            _pending = [message];
            onGap(this);
            return;
        }
        Enqueue(message);
    }

    private void Enqueue(in LiveMessage message)
    {
        if (message.Seq > 0)
        {
            LastSeq = message.Seq;
        }
        Connection.TryEnqueue(Frame(message));
    }

    private OutboundFrame Frame(in LiveMessage message) => new(message.Kind, message.Frame, Channel, message.Seq);
}
