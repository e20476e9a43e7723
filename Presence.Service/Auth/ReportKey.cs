using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using RealtimeAspire.Integrations.Auth;

namespace RealtimeAspire.PresenceService.Auth;

/// <summary>
/// Presence reports come only from Connection.Service replicas: they prove it with
/// <c>X-Presence-Report-Key</c> = base64(HMAC-SHA256(signing key, <see cref="Purpose"/>)), derived from the key both
/// services already share, so user tokens (signed with the same key) cannot report presence. Connection.Service
/// derives it the same way (<c>Connection.Service/Presence/PresenceReportKey.cs</c>).
/// </summary>
public sealed class ReportKey(IOptions<AuthOptions> options)
{
    public const string Header = "X-Presence-Report-Key";
    public const string Purpose = "realtime-aspire presence reports v1";

    private readonly byte[] _expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.SigningKey), Encoding.UTF8.GetBytes(Purpose));

    public bool IsValid(HttpRequest request)
    {
        var presented = request.Headers[Header].ToString();
        var bytes = new byte[32];
        return Convert.TryFromBase64String(presented, bytes, out var written) && written == bytes.Length
            && CryptographicOperations.FixedTimeEquals(bytes, _expected);
    }
}
