using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RealtimeAspire.ServiceDefaults.Tests.Redaction;

/// <summary>A logging provider that keeps what it is given: message, state and values, and the scopes around it.</summary>
public sealed class RecordingProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider? _scopes;

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    public sealed record Entry(string Category, LogLevel Level, string Message, object? State, IReadOnlyList<KeyValuePair<string, object?>> Values, IReadOnlyList<string> Scopes);

    private sealed class Recorder(RecordingProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            provider._scopes?.ForEachScope((scope, list) => list.Add(scope?.ToString() ?? ""), scopes);
            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            provider.Entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), state, [.. values], scopes));
        }
    }
}
