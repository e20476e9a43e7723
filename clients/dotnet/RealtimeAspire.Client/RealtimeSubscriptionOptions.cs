namespace RealtimeAspire.Client;

/// <summary>
/// What <see cref="RealtimeClient.SubscribeAsync(string, RealtimeSubscriptionOptions, CancellationToken)"/> takes beside the
/// channel: the resume point and handlers for the channel's non-message events (the JS client's <c>onPresence</c>,
/// <c>onTyping</c>, <c>onError</c>). Handlers run on the connection's receive loop: keep them short; an exception
/// they throw is logged (event 5009) and does not end the subscription.
/// </summary>
public sealed class RealtimeSubscriptionOptions
{
    /// <summary>Deliver every message after this sequence number (resume); without it, from when the server accepts the subscription.</summary>
    public long? Since { get; init; }

    /// <summary>Users joined or left the channel (namespaces with presence, docs/presence.md).</summary>
    public Action<RealtimePresenceEvent>? OnPresence { get; init; }

    /// <summary>Someone is typing (at most one hint per user and channel per <c>TypingInterval</c>).</summary>
    public Action<RealtimeTypingEvent>? OnTyping { get; init; }

    /// <summary>An error the server reported for this channel without ending it (<c>history_unavailable</c>, <c>position_ahead</c>, a refused typing hint).</summary>
    public Action<RealtimeException>? OnError { get; init; }

    /// <summary>Raised once, when the server first accepted the subscription (the JS client's <c>ready</c>); later resumes do not raise it again.</summary>
    public Action? OnReady { get; init; }
}
