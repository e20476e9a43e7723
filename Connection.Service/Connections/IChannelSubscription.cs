using RealtimeAspire.ConnectionService.Protocol;

namespace RealtimeAspire.ConnectionService.Connections;

/// <summary>
/// A connection's subscription to one channel as the floors below Subscriptions see it: the connection keeps its
/// subscriptions by channel, and the fan-out hands each live message of the channel to every one of them. The
/// ordering and catch-up behind <see cref="OnLive"/> are <c>Subscriptions/Subscription</c>'s.
/// </summary>
public interface IChannelSubscription
{
    string Channel { get; }

    /// <summary>The position of the last message delivered (durable channels).</summary>
    long LastSeq { get; }

    /// <summary>Called by the fan-out for every live message of the channel, in the channel's order.</summary>
    void OnLive(in LiveMessage message);
}
