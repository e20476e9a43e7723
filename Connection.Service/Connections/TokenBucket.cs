namespace RealtimeAspire.ConnectionService.Connections;

/// <summary>A rate limit for one connection: <c>burst</c> tokens, refilled at <c>ratePerSecond</c>. Not thread-safe: one owner.</summary>
public sealed class TokenBucket(double ratePerSecond, int burst, TimeProvider time)
{
    private double _tokens = burst;
    private long _last = time.GetTimestamp();

    public bool TryTake()
    {
        var now = time.GetTimestamp();
        _tokens = Math.Min(burst, _tokens + time.GetElapsedTime(_last, now).TotalSeconds * ratePerSecond);
        _last = now;
        if (_tokens < 1)
        {
            return false;
        }
        _tokens -= 1;
        return true;
    }
}
