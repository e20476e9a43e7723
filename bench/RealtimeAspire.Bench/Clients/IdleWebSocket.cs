namespace RealtimeAspire.Bench.Clients;

internal sealed class IdleWebSocket(BenchSocket socket) : IIdleConnection
{
    public ValueTask DisposeAsync() => socket.DisposeAsync();
}
