using StackExchange.Redis;

namespace RealtimeAspire.Bench.ReferenceServer;

/// <summary>The local subscribers of one channel: copy-on-write array, so a broadcast takes no lock.</summary>
internal sealed class LocalGroup
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _active = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ReferenceConnection[] _members = [];
    private ChannelMessageQueue? _queue;
    private bool _closed;

    public Task Active => _active.Task;

    public bool TryAdd(ReferenceConnection connection, out bool first)
    {
        lock (_gate)
        {
            first = _members.Length == 0 && _queue is null && !_closed;
            if (_closed)
            {
                return false;
            }
            _members = [.. _members, connection];
            return true;
        }
    }

    public void Activate(ChannelMessageQueue queue)
    {
        lock (_gate)
        {
            _queue = queue;
        }
        _active.TrySetResult();
    }

    /// <summary>Removes a member; the last one closes the group and gets its Redis subscription to release.</summary>
    public bool Remove(ReferenceConnection connection, out ChannelMessageQueue? queue)
    {
        lock (_gate)
        {
            _members = [.. _members.Where(m => m != connection)];
            queue = null;
            if (_members.Length > 0)
            {
                return false;
            }
            _closed = true;
            queue = _queue;
            return true;
        }
    }

    public void Broadcast(byte[] frame)
    {
        foreach (var member in Volatile.Read(ref _members))
        {
            member.Enqueue(frame);
        }
    }
}
