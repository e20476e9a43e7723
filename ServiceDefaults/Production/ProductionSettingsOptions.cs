using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace RealtimeAspire.ServiceDefaults.Production;

/// <summary>
/// The settings a service must not run with in Production, read from the keys every service shares (not a section of
/// its own: the point is to look at what the service will really use). Validated at start by
/// <see cref="ProductionSettingsValidator"/>.
/// </summary>
public sealed class ProductionSettingsOptions
{
    public const string SigningKeyKey = "Auth:SigningKey";
    public const string AffinitySecretKey = "Edge:Affinity:Secret";
    public const string DevTokenEndpointKey = "Auth:DevTokenEndpoint";
    public const string KafkaConnectionName = "kafka";

    public string? SigningKey { get; set; }

    public string? AffinitySecret { get; set; }

    /// <summary><see cref="DevTokenEndpointKey"/> as configured; unset means "only in Development".</summary>
    public bool? DevTokenEndpoint { get; set; }

    /// <summary>Every <c>ConnectionStrings:*</c> entry: the passwords of Redis and PostgreSQL travel inside them.</summary>
    public Dictionary<string, string?> ConnectionStrings { get; } = new(StringComparer.OrdinalIgnoreCase);

    public void ReadFrom(IConfiguration configuration)
    {
        SigningKey = configuration[SigningKeyKey];
        AffinitySecret = configuration[AffinitySecretKey];
        DevTokenEndpoint = configuration.GetValue<bool?>(DevTokenEndpointKey);
        foreach (var entry in configuration.GetSection("ConnectionStrings").GetChildren())
        {
            ConnectionStrings[entry.Key] = entry.Value;
        }
    }

    /// <summary>
    /// Whether Connection.Service maps <c>POST /api/dev/token</c>: <see cref="DevTokenEndpointKey"/> when set, else only
    /// in Development. In Production a <c>true</c> here is refused at start.
    /// </summary>
    public static bool IsDevTokenEndpointEnabled(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetValue<bool?>(DevTokenEndpointKey) ?? environment.IsDevelopment();
}
