using System.Security.Cryptography;
using System.Text;

namespace RealtimeAspire.ConnectionService.Presence;

/// <summary>
/// The proof that a presence report comes from a replica: base64(HMAC-SHA256(signing key, purpose)), derived from the
/// key the services share; Presence.Service checks it (<c>Presence.Service/Auth/ReportKey.cs</c>).
/// </summary>
public static class PresenceReportKey
{
    public const string Header = "X-Presence-Report-Key";
    public const string Purpose = "realtime-aspire presence reports v1";

    public static string Derive(string signingKey) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.UTF8.GetBytes(Purpose)));
}
