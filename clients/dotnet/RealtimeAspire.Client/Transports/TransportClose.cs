namespace RealtimeAspire.Client.Transports;

/// <summary>Why a connection ended; <see cref="After"/> when the server asked to come back later (drain, Retry-After).</summary>
internal sealed record TransportClose(string Reason, TimeSpan? After = null);
