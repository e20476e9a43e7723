namespace RealtimeAspire.EdgeProxy.RateLimiting;

internal static partial class RateLimitingLog
{
    // Debug: in a storm this fires thousands of times a second; the realtime.edge.rate_limited counter is the signal.
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Refused a {Traffic} request with 429; retry after {RetryAfter} s.")]
    public static partial void Rejected(ILogger logger, string traffic, int retryAfter);
}
