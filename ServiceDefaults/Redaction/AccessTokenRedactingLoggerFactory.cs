using Microsoft.Extensions.Logging;

namespace RealtimeAspire.ServiceDefaults.Redaction;

/// <summary>
/// The service's <see cref="ILoggerFactory"/> with every logger it creates wrapped in an
/// <see cref="AccessTokenRedactingLogger"/>: one place, in front of every provider (console, OpenTelemetry) and every
/// category (ASP.NET Core's request logs, YARP's forwarding logs, HttpClient's), whatever level is configured.
/// </summary>
internal sealed class AccessTokenRedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new AccessTokenRedactingLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();
}
