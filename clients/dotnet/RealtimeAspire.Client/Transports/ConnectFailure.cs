namespace RealtimeAspire.Client.Transports;

/// <summary>
/// A transport could not open. <see cref="ConnectFailureKind.Transport"/> falls back to the next transport;
/// <see cref="ConnectFailureKind.Server"/> (429, 503) waits (Retry-After) and tries again; <see cref="ConnectFailureKind.Unauthorized"/> refreshes the token.
/// </summary>
internal sealed class ConnectFailure(ConnectFailureKind kind, string message, TimeSpan? retryAfter = null, string? code = null, Exception? inner = null)
    : Exception(message, inner)
{
    public ConnectFailureKind Kind { get; } = kind;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public string? Code { get; } = code;
}

internal enum ConnectFailureKind
{
    Transport,
    Server,
    Unauthorized,
    /// <summary>400/403/404 naming a channel (SSE, long polling): only that subscription is refused.</summary>
    Channel,
}
