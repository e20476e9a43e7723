using RealtimeAspire.ConnectionService.Channels;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.Contracts;

namespace RealtimeAspire.ConnectionService.Presence;

/// <summary>
/// Told by <c>ChannelSubscriber</c> (Subscriptions, the floor above) when a connection's subscription is added and removed; keeps this
/// replica's presence membership and reports it. Subscriptions in namespaces without <c>Presence</c> are ignored.
/// </summary>
public interface IPresenceTracker
{
    void Joined(RealtimeConnection connection, ChannelName channel, NamespaceOptions settings);

    void Left(RealtimeConnection connection, string channel);
}
