namespace RealtimeAspire.Bench.Clients;

/// <summary>An open connection of any transport, held idle until disposed.</summary>
internal interface IIdleConnection : IAsyncDisposable;
