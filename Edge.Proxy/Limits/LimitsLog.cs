namespace RealtimeAspire.EdgeProxy.Limits;

internal static partial class LimitsLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Refused a request to {Path} with 413: its body is over {Limit} bytes.")]
    public static partial void BodyTooLarge(ILogger logger, string path, long limit);
}
