namespace RealtimeAspire.Client;

/// <summary>Error codes of the client's own making, beside the protocol's (docs/protocol.md).</summary>
public static class ClientErrorCodes
{
    /// <summary>The connection went away before the reply: a publish may or may not have been persisted.</summary>
    public const string ConnectionLost = "connection_lost";

    public const string Closed = "client_closed";

    /// <summary>The application read a subscription more slowly than messages came and its buffer filled up.</summary>
    public const string SlowConsumer = "slow_consumer";
}
