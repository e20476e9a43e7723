using System.Buffers.Text;
using System.Text.Json;

namespace RealtimeAspire.Client.Transports;

/// <summary>The <c>sub</c> of a JWT, read without checking its signature (the server does that).</summary>
internal static class JwtSubject
{
    public static string? Of(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }
        try
        {
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            return payload.RootElement.TryGetProperty("sub", out var sub) && sub.GetString() is { Length: > 0 } subject ? subject : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }
}
