namespace RealtimeAspire.Client;

/// <summary>
/// What <see cref="RealtimeClient.StateChanged"/> reports: <c>Connected</c> with the transport and replica,
/// <c>Reconnecting</c> with the attempt, the delay before it and the reason, <c>Disconnected</c> once disposed.
/// </summary>
public sealed record RealtimeConnectionState(
    RealtimeConnectionStatus Status,
    RealtimeTransport? Transport = null,
    string? Replica = null,
    int Attempt = 0,
    TimeSpan Delay = default,
    string? Reason = null);
