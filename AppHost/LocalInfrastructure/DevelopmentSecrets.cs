using System.Security.Cryptography;
using System.Text.Json;

namespace RealtimeAspire.AppHost.LocalInfrastructure;

/// <summary>
/// Secrets as Aspire parameters. In a local run each value comes from configuration (<c>Parameters:{name}</c>) or is
/// generated once into the data folder, beside the PostgreSQL data it protects: a test run with its own data folder
/// never overwrites a developer's, and the database password lives exactly as long as the database. In a publish the
/// values are the deployment's to supply (azd asks for or generates them).
/// </summary>
public sealed class DevelopmentSecrets(IDistributedApplicationBuilder builder, string file)
{
    /// <summary>Marks a generated value as a development one; equal to ServiceDefaults' <c>DevelopmentSecret.Prefix</c> (tested).</summary>
    public const string GeneratedPrefix = "dev-only-";

    private readonly Dictionary<string, IResourceBuilder<ParameterResource>> _parameters = [];

    public IResourceBuilder<ParameterResource> Parameter(string name)
    {
        if (_parameters.TryGetValue(name, out var existing))
        {
            return existing;
        }
        var key = $"Parameters:{name}";
        if (!builder.ExecutionContext.IsPublishMode && string.IsNullOrEmpty(builder.Configuration[key]))
        {
            builder.Configuration[key] = GetOrGenerate(name);
        }
        return _parameters[name] = builder.AddParameter(name, secret: true);
    }

    private string GetOrGenerate(string name)
    {
        var secrets = File.Exists(file) ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(file)) ?? [] : [];
        if (!secrets.TryGetValue(name, out var value))
        {
            // Letters, digits and hyphens only: the value ends up in connection strings and command lines. The prefix
            // is what a service in Production refuses (ServiceDefaults' DevelopmentSecret.Prefix).
            value = GeneratedPrefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
            secrets[name] = value;
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, JsonSerializer.Serialize(secrets));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        return value;
    }
}
