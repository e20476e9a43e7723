using Microsoft.Extensions.Logging;

namespace RealtimeAspire.ServiceDefaults.Redaction;

/// <summary>
/// Passes a log event on unchanged unless one of its values may carry a token; then passes on a
/// <see cref="RedactedLogState"/> instead: the values and the formatted message with every token replaced, so neither a
/// text formatter nor a structured one (OpenTelemetry's attributes, JSON console) sees it. Scopes likewise.
/// </summary>
internal sealed class AccessTokenRedactingLogger(ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull =>
        RedactedLogState.IsNeeded(state, exception: null, static (s, _) => s.ToString() ?? "")
            ? inner.BeginScope(RedactedLogState.Create(state, exception: null, static (s, _) => s.ToString() ?? ""))
            : inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }
        if (RedactedLogState.IsNeeded(state, exception, formatter))
        {
            inner.Log(logLevel, eventId, RedactedLogState.Create(state, exception, formatter), exception, RedactedLogState.Format);
        }
        else
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
