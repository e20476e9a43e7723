namespace RealtimeAspire.ServiceDefaults.Production;

/// <summary>
/// How a secret generated for a local run is recognised: the AppHost starts every value it generates (signing key,
/// affinity secret, Redis and PostgreSQL passwords) with <see cref="Prefix"/>, so a value copied from a developer's
/// <c>.data/secrets.json</c> into a deployment is refused at start instead of signing production tokens.
/// </summary>
public static class DevelopmentSecret
{
    /// <summary>Letters and hyphens only: the value ends up in connection strings and command lines.</summary>
    public const string Prefix = "dev-only-";

    public static bool IsDevelopmentSecret(string? value) => value is not null && value.Contains(Prefix, StringComparison.Ordinal);
}
