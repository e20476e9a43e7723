namespace RealtimeAspire.Client.Transports;

/// <summary>One open connection over one transport. It only moves frames; ordering and resume are the client's.</summary>
internal interface IRealtimeConnection : IAsyncDisposable
{
    RealtimeTransport Transport { get; }

    string Replica { get; }

    /// <summary>Completes when the connection is gone.</summary>
    Task<TransportClose> Closed { get; }

    /// <summary>Completes after the server's welcome; throws <see cref="ConnectFailure"/>.</summary>
    Task OpenAsync(CancellationToken cancellationToken);

    /// <summary>Subscribes (resumes after <paramref name="since"/>); returns the server's position for "from now" when it says one.</summary>
    Task<long?> SubscribeAsync(string channel, long? since, CancellationToken cancellationToken);

    Task UnsubscribeAsync(string channel, CancellationToken cancellationToken);

    Task<PublishAck> PublishAsync(string channel, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>The server asked for a reconnect (<c>reconnect {afterMs}</c>, a drain): end the connection with that delay.</summary>
    void RequestReconnect(TransportClose close);
}
