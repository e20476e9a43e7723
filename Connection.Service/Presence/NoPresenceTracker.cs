using RealtimeAspire.ConnectionService.Channels;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.Contracts;

namespace RealtimeAspire.ConnectionService.Presence;

/// <summary>Presence when no Presence.Service is configured (<c>services:presence-service</c> absent): nothing.</summary>
public sealed class NoPresenceTracker : IPresenceTracker
{
    public void Joined(RealtimeConnection connection, ChannelName channel, NamespaceOptions settings)
    {
    }

    public void Left(RealtimeConnection connection, string channel)
    {
    }
}
