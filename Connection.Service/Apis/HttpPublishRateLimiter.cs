using System.Collections.Concurrent;
using RealtimeAspire.ConnectionService.Channels;
using RealtimeAspire.ConnectionService.Connections;

namespace RealtimeAspire.ConnectionService.Apis;

/// <summary>
/// The per-connection publish rate of WebSockets, applied per user to HTTP publishes (which have no connection).
/// Buckets of users idle for a minute are dropped, so memory follows active users only.
/// </summary>
public sealed class HttpPublishRateLimiter(TimeProvider time)
{
    private static readonly TimeSpan IdleAfter = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(string User, string Namespace), Entry> _buckets = new();
    private long _lastSweep = time.GetTimestamp();

    public bool TryTake(string user, string ns, NamespaceOptions settings)
    {
        Sweep();
        var entry = _buckets.GetOrAdd((user, ns), _ => new Entry(new TokenBucket(settings.PublishRatePerSecond, settings.PublishBurst, time)));
        lock (entry)
        {
            entry.LastUsed = time.GetTimestamp();
            return entry.Bucket.TryTake();
        }
    }

    private void Sweep()
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastSweep);
        if (time.GetElapsedTime(last, now) < IdleAfter || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }
        foreach (var (key, entry) in _buckets)
        {
            if (time.GetElapsedTime(Volatile.Read(ref entry.LastUsed), now) > IdleAfter)
            {
                _buckets.TryRemove(key, out _);
            }
        }
    }

    private sealed class Entry(TokenBucket bucket)
    {
        public TokenBucket Bucket { get; } = bucket;
        public long LastUsed;
    }
}
