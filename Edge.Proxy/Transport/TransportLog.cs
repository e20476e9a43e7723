namespace RealtimeAspire.EdgeProxy.Transport;

internal static partial class TransportLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information,
        Message = "Per-frame scheduling: Kestrel inline scheduling {InlineScheduling}, thread-pool spin limit {SpinLimit}, inline socket completions {InlineCompletions}.")]
    public static partial void Scheduling(ILogger logger, bool inlineScheduling, string spinLimit, bool inlineCompletions);
}
