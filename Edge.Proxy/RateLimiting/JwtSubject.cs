using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace RealtimeAspire.EdgeProxy.RateLimiting;

/// <summary>
/// Reads the <c>sub</c> claim of a JWT <b>without validating it</b>: only to choose a rate-limit bucket. The
/// services validate every token; a forged <c>sub</c> only buys a fresh per-user bucket, and the per-IP bucket
/// behind it still applies.
/// </summary>
public static class JwtSubject
{
    /// <summary>Longer payloads are not parsed: the bucket falls back to the IP address.</summary>
    public const int MaxPayloadChars = 4096;

    public const int MaxSubjectLength = 128;

    public static string? Read(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var secondDot = firstDot < 0 ? -1 : token.IndexOf('.', firstDot + 1);
        if (secondDot < 0)
        {
            return null;
        }
        var payload = token.AsSpan(firstDot + 1, secondDot - firstDot - 1);
        if (payload.Length is 0 or > MaxPayloadChars)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(payload.Length));
        try
        {
            if (Base64Url.DecodeFromChars(payload, buffer, out _, out var written) != OperationStatus.Done)
            {
                return null;
            }
            return FindSubject(buffer.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The token a request carries: <c>Authorization: Bearer …</c>, else the <c>access_token</c> query parameter (browsers' WebSocket and EventSource).</summary>
    public static string? TokenOf(HttpRequest request)
    {
        if (request.Headers.Authorization is [{ } authorization, ..]
            && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }
        return request.Query["access_token"] is [{ Length: > 0 } query, ..] ? query : null;
    }

    private static string? FindSubject(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isSubject = reader.ValueTextEquals("sub"u8);
                if (!reader.Read())
                {
                    return null;
                }
                if (isSubject)
                {
                    return reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 and <= MaxSubjectLength } subject
                        ? subject
                        : null;
                }
                reader.Skip();
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
