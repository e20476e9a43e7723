using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace RealtimeAspire.EdgeProxy.Affinity;

/// <summary>
/// Turns a destination id into the opaque key a client carries, and back. The key is a truncated
/// HMAC-SHA256 of (cluster, destination) under the edge's secret: it reveals neither an address nor the replica's
/// name, a client cannot forge one for a replica of its choosing, and it is deterministic, so edge instances
/// sharing the secret agree and resolving a key is a lookup among the cluster's few destinations (no decryption
/// per request, unlike Data Protection payloads).
/// </summary>
public sealed class AffinityKeyProtector(byte[] secret)
{
    /// <summary>Version prefix: a new scheme can be introduced next to this one.</summary>
    public const string Prefix = "a1.";

    /// <summary>22 base64url characters = 132 bits of the MAC.</summary>
    private const int MacCharacters = 22;

    public const int KeyLength = 25;

    private readonly byte[] _secret = secret.Length >= EdgeAffinityOptions.MinimumSecretBytes
        ? secret
        : throw new ArgumentException($"The affinity secret needs at least {EdgeAffinityOptions.MinimumSecretBytes} bytes.", nameof(secret));

    private readonly ConcurrentDictionary<(string Cluster, string Destination), string> _keys = new();

    public string Protect(string clusterId, string destinationId) =>
        _keys.GetOrAdd((clusterId, destinationId), static (id, secretBytes) => Compute(secretBytes, id.Cluster, id.Destination), _secret);

    /// <summary>Whether <paramref name="key"/> is well-formed at all; a malformed key is an extraction failure, not a miss.</summary>
    public static bool IsWellFormed(string? key) =>
        key is { Length: KeyLength }
        && key.StartsWith(Prefix, StringComparison.Ordinal)
        && key.AsSpan(Prefix.Length).IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") < 0;

    /// <summary>Which of <paramref name="destinationIds"/> the key was minted for, if any.</summary>
    public bool TryUnprotect(string key, string clusterId, IEnumerable<string> destinationIds, out string destinationId)
    {
        if (IsWellFormed(key))
        {
            foreach (var candidate in destinationIds)
            {
                if (string.Equals(Protect(clusterId, candidate), key, StringComparison.Ordinal))
                {
                    destinationId = candidate;
                    return true;
                }
            }
        }
        destinationId = "";
        return false;
    }

    private static string Compute(byte[] secret, string clusterId, string destinationId)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{clusterId}\n{destinationId}"), mac);
        var encoded = Convert.ToBase64String(mac).Replace('+', '-').Replace('/', '_');
        return Prefix + encoded[..MacCharacters];
    }
}
