using System.Collections.Concurrent;
using System.Threading.Channels;
using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.ConnectionService.Protocol;

namespace RealtimeAspire.ConnectionService.Connections;

/// <summary>
/// What every transport's connection shares: identity, one bounded outbound queue (full means the client is too
/// slow: it is closed, never allowed to grow the server), and its channel subscriptions.
/// </summary>
public abstract class RealtimeConnection
{
    private readonly Channel<OutboundFrame> _outbound;
    private readonly CancellationTokenSource _closed = new();
    private int _closeRequested;

    protected RealtimeConnection(string transport, RealtimeUser user, ConnectionLimitsOptions limits, bool perRequest = false)
    {
        Transport = transport;
        IsPerRequest = perRequest;
        User = user;
        Id = Guid.CreateVersion7().ToString("N");
        _outbound = Channel.CreateBounded<OutboundFrame>(new BoundedChannelOptions(limits.MaxQueuedFrames)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public string Id { get; }
    public string Transport { get; }
    public RealtimeUser User { get; }

    /// <summary>
    /// One request of a client that comes back for the next (a long poll), not the client's whole stay: what follows
    /// the client (presence) must outlive it.
    /// </summary>
    public bool IsPerRequest { get; }

    // Most connections hold a channel or two: one lock stripe and a one-bucket table instead of the default 31
    // buckets and one stripe per core, per idle connection.
    public ConcurrentDictionary<string, IChannelSubscription> Subscriptions { get; } = new(concurrencyLevel: 1, capacity: 1, StringComparer.Ordinal);
    public ChannelReader<OutboundFrame> Outbound => _outbound.Reader;

    /// <summary>Cancelled when the server decides to end the connection (slow consumer, drain, protocol violation).</summary>
    public CancellationToken Closing => _closed.Token;

    /// <summary>Set once the server has decided to close: why.</summary>
    public CloseReason? CloseReason { get; private set; }

    public int QueuedFrames => _outbound.Reader.Count;

    /// <summary>Queues a frame without waiting. A full queue closes the connection as a slow consumer.</summary>
    public bool TryEnqueue(in OutboundFrame frame)
    {
        if (_outbound.Writer.TryWrite(frame))
        {
            return true;
        }
        if (CloseReason is null)
        {
            OnSlowConsumer();
            Close(Protocol.CloseReason.SlowConsumer);
        }
        return false;
    }

    /// <summary>Queues a frame, waiting for room: for catch-up, which must not overflow the queue it fills.</summary>
    public async ValueTask EnqueueAsync(OutboundFrame frame, CancellationToken cancellationToken)
    {
        try
        {
            await _outbound.Writer.WriteAsync(frame, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new OperationCanceledException("The connection is closing.");
        }
    }

    public bool TryEnqueue(byte[] controlFrame) => TryEnqueue(OutboundFrame.Control(controlFrame));

    /// <summary>Ends the connection for <paramref name="reason"/>; the transport's loops observe <see cref="Closing"/>.</summary>
    public void Close(CloseReason reason)
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) == 0)
        {
            CloseReason = reason;
            _outbound.Writer.TryComplete();
            _closed.Cancel();
        }
    }

    /// <summary>Drops what is queued (a slow consumer's backlog): after <see cref="Close"/>, nothing more is queued.</summary>
    protected void DiscardQueued()
    {
        while (_outbound.Reader.TryRead(out _))
        {
        }
    }

    /// <summary>No more frames will be queued (the client left); the send side finishes what is queued.</summary>
    public void CompleteOutbound() => _outbound.Writer.TryComplete();

    protected virtual void OnSlowConsumer()
    {
    }
}
