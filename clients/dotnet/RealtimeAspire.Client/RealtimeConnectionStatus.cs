namespace RealtimeAspire.Client;

public enum RealtimeConnectionStatus
{
    Connecting,
    Connected,
    Reconnecting,
    Disconnected,
}
