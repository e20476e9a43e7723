namespace RealtimeAspire.PresenceService.Events;

/// <summary>Where presence frames go: the channel's fan-out topic.</summary>
public interface IPresencePublisher
{
    Task PublishAsync(string channel, byte[] payload);
}
