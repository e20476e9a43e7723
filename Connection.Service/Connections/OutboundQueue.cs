using System.Buffers;
using System.Threading.Tasks.Sources;

namespace RealtimeAspire.ConnectionService.Connections;

/// <summary>
/// A connection's bounded outbound queue: many writers (the fan-out, acks, heartbeats, catch-up), one reader (the
/// transport's send loop or the long poll). It replaces a bounded <c>System.Threading.Channels</c> channel, whose one
/// lock every writer and every read took per frame (6 % of a replica's CPU at capacity was that lock contended,
/// docs/benchmarks.md): writers append to an array under a short lock; the reader takes everything queued at once by
/// swapping that array for its drained one, so it locks once per batch, and it waits on one reusable signal instead of
/// a new waiter per wait.
/// </summary>
/// <remarks>
/// <para>A frame counts against <c>capacity</c> from its enqueue until the reader has gone through the batch that
/// holds it (the next <see cref="TryRead"/> after the batch, or <see cref="WaitToReadAsync"/> finding nothing): the
/// bound is on frames not yet written, as it was with the channel, whose reader took one frame at a time.</para>
/// <para>An idle queue holds no array: the reader hands both back to <see cref="ArrayPool{T}"/> when it finds the queue
/// empty, and the next frame rents one.</para>
/// </remarks>
public sealed class OutboundQueue : IValueTaskSource<bool>
{
    private const int InitialLength = 16;

    private readonly Lock _gate = new();
    private readonly int _capacity;
    private OutboundFrame[] _incoming = [];
    private int _incomingCount;
    // The reader's batch, taken at the last swap. Only the reader reads it; _batchCount changes under the lock
    // because writers count it against the capacity.
    private OutboundFrame[] _batch = [];
    private int _batchCount;
    private int _batchNext;
    private volatile bool _completed;
    private volatile bool _discarded;
    private bool _readerWaiting;
    private ManualResetValueTaskSourceCore<bool> _signal = new() { RunContinuationsAsynchronously = true };
    private CancellationToken _waitToken;
    private CancellationTokenRegistration _waitCancellation;
    // Writers waiting for room (catch-up): completed when the reader frees some, or when the queue completes.
    private TaskCompletionSource? _room;

    public OutboundQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>No more frames are accepted (what is queued is still read, unless discarded).</summary>
    public bool IsCompleted => _completed;

    /// <summary>Frames queued and not yet written.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _incomingCount + _batchCount - _batchNext;
            }
        }
    }

    /// <summary>Queues a frame without waiting; false when the queue is full or completed (<see cref="IsCompleted"/> tells which).</summary>
    public bool TryEnqueue(in OutboundFrame frame)
    {
        bool wake;
        lock (_gate)
        {
            if (_completed || _incomingCount + _batchCount >= _capacity)
            {
                return false;
            }
            wake = AppendLocked(frame);
        }
        if (wake)
        {
            _signal.SetResult(true);
        }
        return true;
    }

    /// <summary>Queues a frame, waiting for room; throws <see cref="OperationCanceledException"/> once the queue is completed.</summary>
    public async ValueTask EnqueueAsync(OutboundFrame frame, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task room;
            bool wake;
            lock (_gate)
            {
                if (_completed)
                {
                    throw new OperationCanceledException("The connection is closing.");
                }
                if (_incomingCount + _batchCount < _capacity)
                {
                    wake = AppendLocked(frame);
                    room = Task.CompletedTask;
                }
                else
                {
                    wake = false;
                    room = (_room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                }
            }
            if (wake)
            {
                _signal.SetResult(true);
            }
            if (room.IsCompleted)
            {
                return;
            }
            await room.WaitAsync(cancellationToken);
        }
    }

    /// <summary>No more frames: the reader finishes what is queued, then <see cref="WaitToReadAsync"/> answers false.</summary>
    public void Complete() => Finish(discard: false);

    /// <summary>Completes the queue and drops what is queued: the reader gets nothing more, not even the rest of its batch.</summary>
    public void Discard() => Finish(discard: true);

    /// <summary>Reader only: the next frame, from the current batch or, when it is done, from a new one.</summary>
    public bool TryRead(out OutboundFrame frame)
    {
        if (_batchNext < _batchCount && !_discarded)
        {
            frame = _batch[_batchNext++];
            return true;
        }
        return TryTakeBatch(out frame);
    }

    /// <summary>
    /// Reader only: completes with true when a frame can be read, false once the queue is completed and drained.
    /// Throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> ends the wait.
    /// </summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
    {
        if (_batchNext < _batchCount && !_discarded)
        {
            return new ValueTask<bool>(true);
        }
        OutboundFrame[] batch, incoming;
        TaskCompletionSource? room;
        bool completed;
        lock (_gate)
        {
            if (_incomingCount > 0 && !_discarded)
            {
                return new ValueTask<bool>(true);
            }
            room = ReleaseBatchLocked();
            // Nothing queued: an idle connection holds no arrays.
            (batch, incoming) = (_batch, _incoming);
            (_batch, _incoming) = ([], []);
            _incomingCount = 0;
            completed = _completed;
            if (!completed && !cancellationToken.IsCancellationRequested)
            {
                _signal.Reset();
                _readerWaiting = true;
            }
        }
        room?.TrySetResult();
        ReturnToPool(batch);
        ReturnToPool(incoming);
        if (completed)
        {
            return new ValueTask<bool>(false);
        }
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }
        if (cancellationToken.CanBeCanceled)
        {
            _waitToken = cancellationToken;
            _waitCancellation = cancellationToken.UnsafeRegister(static queue => ((OutboundQueue)queue!).CancelWait(), this);
        }
        return new ValueTask<bool>(this, _signal.Version);
    }

    bool IValueTaskSource<bool>.GetResult(short token)
    {
        try
        {
            return _signal.GetResult(token);
        }
        finally
        {
            // Waits for a cancellation callback in progress, so none can reach the next wait.
            _waitCancellation.Dispose();
            _waitCancellation = default;
            _waitToken = default;
        }
    }

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _signal.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _signal.OnCompleted(continuation, state, token, flags);

    /// <summary>Appends under the lock; true when the waiting reader must be woken (outside the lock).</summary>
    private bool AppendLocked(in OutboundFrame frame)
    {
        if (_incomingCount == _incoming.Length)
        {
            var larger = ArrayPool<OutboundFrame>.Shared.Rent(Math.Max(InitialLength, _incoming.Length * 2));
            _incoming.AsSpan(0, _incomingCount).CopyTo(larger);
            ReturnToPool(_incoming);
            _incoming = larger;
        }
        _incoming[_incomingCount++] = frame;
        var wake = _readerWaiting;
        _readerWaiting = false;
        return wake;
    }

    private bool TryTakeBatch(out OutboundFrame frame)
    {
        // The batch is done (written, or dropped by a discard): clear it before it goes back to the writers.
        _batch.AsSpan(0, _batchCount).Clear();
        TaskCompletionSource? room;
        var taken = false;
        lock (_gate)
        {
            room = ReleaseBatchLocked();
            if (_incomingCount > 0 && !_discarded)
            {
                (_batch, _incoming) = (_incoming, _batch);
                _batchCount = _incomingCount;
                _batchNext = 0;
                _incomingCount = 0;
                taken = true;
            }
        }
        room?.TrySetResult();
        if (!taken)
        {
            frame = default;
            return false;
        }
        frame = _batch[_batchNext++];
        return true;
    }

    /// <summary>The reader is done with its batch: its frames stop counting; the writers waiting for room are returned.</summary>
    private TaskCompletionSource? ReleaseBatchLocked()
    {
        var freed = _batchCount > 0;
        _batchCount = 0;
        _batchNext = 0;
        if (!freed)
        {
            return null;
        }
        var room = _room;
        _room = null;
        return room;
    }

    private void Finish(bool discard)
    {
        bool wake;
        TaskCompletionSource? room;
        OutboundFrame[]? dropped = null;
        lock (_gate)
        {
            _completed = true;
            if (discard)
            {
                _discarded = true;
                dropped = _incoming;
                _incoming = [];
                _incomingCount = 0;
            }
            wake = _readerWaiting;
            _readerWaiting = false;
            room = _room;
            _room = null;
        }
        room?.TrySetResult();
        if (dropped is not null)
        {
            ReturnToPool(dropped);
        }
        if (wake)
        {
            // A waiting reader had nothing queued, and a completed queue takes nothing more: nothing to read.
            _signal.SetResult(false);
        }
    }

    private void CancelWait()
    {
        bool cancel;
        lock (_gate)
        {
            cancel = _readerWaiting;
            _readerWaiting = false;
        }
        if (cancel)
        {
            _signal.SetException(new OperationCanceledException(_waitToken));
        }
    }

    private static void ReturnToPool(OutboundFrame[] array)
    {
        if (array.Length > 0)
        {
            ArrayPool<OutboundFrame>.Shared.Return(array, clearArray: true);
        }
    }
}
