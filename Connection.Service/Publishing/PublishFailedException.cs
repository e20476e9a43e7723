namespace RealtimeAspire.ConnectionService.Publishing;

/// <summary>The message could not be made durable; it is not acknowledged.</summary>
public sealed class PublishFailedException(string channel, Exception inner)
    : Exception($"Publishing to '{channel}' failed: {inner.Message}", inner);
