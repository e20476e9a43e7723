using Microsoft.Extensions.Logging;

namespace RealtimeAspire.Client.Diagnostics;

internal static partial class ClientLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Connected over {Transport} to {Replica}")]
    public static partial void Connected(this ILogger logger, RealtimeTransport transport, string replica);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Debug, Message = "{Transport} could not connect: {Reason}")]
    public static partial void TransportFailed(this ILogger logger, RealtimeTransport transport, string reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Reconnecting (attempt {Attempt}) in {DelayMs} ms: {Reason}")]
    public static partial void Reconnecting(this ILogger logger, int attempt, long delayMs, string reason);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Filling a gap in {Channel} after {Seq} from the history API failed")]
    public static partial void GapFillFailed(this ILogger logger, string channel, long seq, Exception exception);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Subscription to {Channel} refused: {Code}")]
    public static partial void SubscriptionRefused(this ILogger logger, string channel, string code);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "Subscription to {Channel} ended: its reader fell {Capacity} messages behind")]
    public static partial void SlowConsumer(this ILogger logger, string channel, int capacity);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Information, Message = "Upgraded from {From} to {To} on {Replica}")]
    public static partial void Upgraded(this ILogger logger, RealtimeTransport from, RealtimeTransport to, string replica);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Debug, Message = "Upgrade to {Transport} failed, staying on the current transport: {Reason}")]
    public static partial void UpgradeFailed(this ILogger logger, RealtimeTransport transport, string reason);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Warning, Message = "The {Handler} handler of {Channel} threw")]
    public static partial void HandlerFailed(this ILogger logger, string channel, string handler, Exception exception);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Warning, Message = "The server reported {Code} for {Channel}: {Detail}")]
    public static partial void ChannelError(this ILogger logger, string channel, string code, string detail);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Debug, Message = "The subscription to {Channel} was stopped while {Transport} subscribed it: unsubscribed there again")]
    public static partial void SubscribedAfterStop(this ILogger logger, string channel, RealtimeTransport transport);
}
