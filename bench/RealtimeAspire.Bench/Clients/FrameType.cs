namespace RealtimeAspire.Bench.Clients;

internal enum FrameType
{
    Other,
    Welcome,
    Ack,
    Message,
    Error,
    Presence,
}
