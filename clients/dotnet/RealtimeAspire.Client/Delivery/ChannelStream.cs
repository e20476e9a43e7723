using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RealtimeAspire.Client.Diagnostics;
using RealtimeAspire.Client.Transports;

namespace RealtimeAspire.Client.Delivery;

/// <summary>
/// One subscription's delivery: each durable message reaches the application once and in sequence order, whatever
/// transport or replica it came over. Out-of-order messages wait in a buffer; a gap that stays open for
/// <see cref="RealtimeClientOptions.GapFillDelay"/> is filled from the history API.
/// </summary>
internal sealed class ChannelStream
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, RealtimeMessage> _buffer = [];
    private readonly Channel<RealtimeMessage> _output;
    private readonly Func<long, int, CancellationToken, Task<RealtimeHistoryPage>> _history;
    private readonly TimeSpan _gapFillDelay;
    private readonly int _capacity;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopped = new();
    private Task _filling = Task.CompletedTask;
    private object? _subscribedOn;
    private readonly List<IRealtimeConnection> _heldOn = [];
    private bool _fillScheduled;
    private readonly RealtimeSubscriptionOptions _handlers;

    public ChannelStream(string channel, RealtimeSubscriptionOptions subscription, Func<long, int, CancellationToken, Task<RealtimeHistoryPage>> history, RealtimeClientOptions options, ILogger logger)
    {
        Channel = channel;
        LastSeq = subscription.Since;
        _handlers = subscription;
        _history = history;
        _gapFillDelay = options.GapFillDelay;
        _capacity = options.MessageBufferCapacity;
        _logger = logger;
        _output = System.Threading.Channels.Channel.CreateBounded<RealtimeMessage>(new BoundedChannelOptions(options.MessageBufferCapacity) { SingleReader = true, SingleWriter = false });
        Ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public string Channel { get; }

    /// <summary>The last sequence delivered (null before the first, or on ephemeral channels).</summary>
    public long? LastSeq { get; private set; }

    /// <summary>Accepted by the server at least once (then every new connection resumes it).</summary>
    public TaskCompletionSource Ready { get; }

    public bool Accepted => Ready.Task.IsCompletedSuccessfully;

    /// <summary>The server accepted the subscription: the first time, the application hears of it.</summary>
    public void MarkReady()
    {
        if (Ready.TrySetResult() && _handlers.OnReady is { } onReady)
        {
            Invoke(nameof(RealtimeSubscriptionOptions.OnReady), onReady);
        }
    }

    public void Presence(RealtimePresenceEvent presence)
    {
        ClientTelemetry.PresenceEvents.Add(1);
        if (_handlers.OnPresence is { } handler)
        {
            Invoke(nameof(RealtimeSubscriptionOptions.OnPresence), () => handler(presence));
        }
    }

    public void Typing(RealtimeTypingEvent typing)
    {
        if (_handlers.OnTyping is { } handler)
        {
            Invoke(nameof(RealtimeSubscriptionOptions.OnTyping), () => handler(typing));
        }
    }

    public void Error(RealtimeException error)
    {
        _logger.ChannelError(Channel, error.Code, error.Message);
        if (_handlers.OnError is { } handler)
        {
            Invoke(nameof(RealtimeSubscriptionOptions.OnError), () => handler(error));
        }
    }

    /// <summary>An application's handler must not take the connection's receive loop down with it.</summary>
    private void Invoke(string name, Action handler)
    {
        try
        {
            handler();
        }
        catch (Exception ex)
        {
            _logger.HandlerFailed(Channel, name, ex);
        }
    }

    public ChannelReader<RealtimeMessage> Reader => _output.Reader;

    public bool IsSubscribedOn(object connection) => ReferenceEquals(Volatile.Read(ref _subscribedOn), connection);

    /// <summary>A background upgrade that failed gives back what it claimed: the subscription is still on <paramref name="current"/>.</summary>
    public void Reclaim(object failed, object current) => Interlocked.CompareExchange(ref _subscribedOn, current, failed);

    /// <summary>Claims the subscribe on this connection: true for exactly one caller per connection, never once stopped.</summary>
    public bool TryClaim(object connection)
    {
        var current = Volatile.Read(ref _subscribedOn);
        return !_stopped.IsCancellationRequested
            && !ReferenceEquals(current, connection) && ReferenceEquals(Interlocked.CompareExchange(ref _subscribedOn, connection, current), current);
    }

    /// <summary>
    /// The server took (or may have taken) the subscription on <paramref name="connection"/>: a later stop unsubscribes
    /// it there. False when the stream was stopped before this was recorded: the stop did not see this connection, so
    /// the caller, which completed the subscribe, must undo it. Under the lock, so exactly one of them does.
    /// </summary>
    public bool Hold(IRealtimeConnection connection)
    {
        lock (_lock)
        {
            if (_stopped.IsCancellationRequested)
            {
                return false;
            }
            _heldOn.RemoveAll(c => c.Closed.IsCompleted); // a closed connection holds nothing on the server
            if (!_heldOn.Contains(connection))
            {
                _heldOn.Add(connection);
            }
            return true;
        }
    }

    /// <summary>A position the server reported (subscribe ack, first poll cursor): where "from now" starts.</summary>
    public void StartAt(long seq)
    {
        lock (_lock)
        {
            if (LastSeq is null)
            {
                LastSeq = seq;
                FlushLocked();
            }
        }
    }

    public void Accept(RealtimeMessage message)
    {
        lock (_lock)
        {
            if (_stopped.IsCancellationRequested)
            {
                return;
            }
            if (message.Seq == 0)
            {
                EmitLocked(message);
                return;
            }
            LastSeq ??= message.Seq - 1;
            if (message.Seq <= LastSeq || !_buffer.TryAdd(message.Seq, message))
            {
                ClientTelemetry.Duplicates.Add(1);
                return;
            }
            FlushLocked();
        }
    }

    private void FlushLocked()
    {
        if (LastSeq is not { } last)
        {
            return;
        }
        while (_buffer.Count > 0)
        {
            var (seq, message) = _buffer.First();
            if (seq <= last)
            {
                _buffer.Remove(seq);
                continue;
            }
            if (seq != last + 1)
            {
                break;
            }
            _buffer.Remove(seq);
            last = seq;
            LastSeq = seq;
            EmitLocked(message);
        }
        if (_buffer.Count > 0 && !_fillScheduled)
        {
            _fillScheduled = true;
            _filling = FillGapAsync(_stopped.Token);
        }
    }

    private void EmitLocked(RealtimeMessage message)
    {
        if (_output.Writer.TryWrite(message))
        {
            ClientTelemetry.MessagesReceived.Add(1);
            return;
        }
        // Never grow without bound: like the server with a slow socket, end the subscription with a reason.
        _logger.SlowConsumer(Channel, _capacity);
        Fail(new RealtimeException(ClientErrorCodes.SlowConsumer, $"The reader of {Channel} fell {_capacity} messages behind."));
    }

    private async Task FillGapAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(_gapFillDelay, cancellationToken);
                long after;
                int missing;
                lock (_lock)
                {
                    if (_buffer.Count == 0 || LastSeq is null)
                    {
                        _fillScheduled = false;
                        return;
                    }
                    after = LastSeq.Value;
                    missing = (int)Math.Clamp(_buffer.Keys.First() - after - 1, 1, 1000);
                }
                try
                {
                    var page = await _history(after, missing, cancellationToken);
                    ClientTelemetry.GapFills.Add(page.Messages.Count);
                    foreach (var message in page.Messages)
                    {
                        Accept(message);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.GapFillFailed(Channel, after, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Fail(RealtimeException error)
    {
        Ready.TrySetException(error);
        _output.Writer.TryComplete(error);
        _stopped.Cancel();
    }

    /// <summary>
    /// The application stopped reading. Returns the live connections the server holds the subscription on (the current
    /// one and, during a background upgrade, the candidate): the caller unsubscribes it there. A subscribe still on its
    /// way is not among them: <see cref="Hold"/> refuses it and its caller undoes it.
    /// </summary>
    public async ValueTask<IReadOnlyList<IRealtimeConnection>> StopAsync()
    {
        IRealtimeConnection[] held;
        lock (_lock)
        {
            _stopped.Cancel();
            _buffer.Clear();
            held = [.. _heldOn.Where(c => !c.Closed.IsCompleted)];
            _heldOn.Clear();
        }
        _output.Writer.TryComplete();
        Ready.TrySetCanceled();
        await _filling.ConfigureAwait(false);
        return held;
    }
}
