using System.Security.Cryptography;
using System.Text.Json;

namespace RealtimeAspire.Hosting;

/// <summary>
/// Development secrets (database password, signing keys), generated on first use and kept in the
/// git-ignored data folder so that a restart finds the PostgreSQL data it initialised. Never in the repository.
/// </summary>
public sealed class DevSecrets(string path)
{
    private readonly Lock _gate = new();

    public string Get(string name, int bytes = 24)
    {
        lock (_gate)
        {
            var secrets = File.Exists(path)
                ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) ?? []
                : [];
            if (!secrets.TryGetValue(name, out var value))
            {
                // URL-safe characters only: the value ends up in connection strings and command lines.
                value = Convert.ToHexString(RandomNumberGenerator.GetBytes(bytes)).ToLowerInvariant();
                secrets[name] = value;
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, JsonSerializer.Serialize(secrets));
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }
            return value;
        }
    }
}
