namespace RealtimeAspire.Integrations;

/// <summary>A service was started without the connection string its AppHost (or operator) must give it.</summary>
public sealed class ConnectionStringMissingException(string name)
    : InvalidOperationException($"Connection string '{name}' is not configured: set ConnectionStrings:{name} (environment ConnectionStrings__{name}).");
