using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using RealtimeAspire.ConnectionService.Protocol;

namespace RealtimeAspire.Reliability.Tests.Hostile;

/// <summary>The answers docs/protocol.md allows: server frame types, error codes, and ProblemDetails refusals.</summary>
public static class DocumentedAnswers
{
    public static readonly HashSet<string> ServerFrameTypes = ["welcome", "ack", "message", "presence", "typing", "reconnect", "error", "pong"];

    public static readonly HashSet<string> ErrorCodeValues = [.. typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral || f.IsInitOnly).Select(f => (string)f.GetValue(null)!)];

    /// <summary>A refusal before any stream: 4xx with a ProblemDetails body whose <c>title</c> is a documented code (or the edge's own).</summary>
    public static async Task<string?> ProblemViolationAsync(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status is < 400 or >= 500)
        {
            return $"status {status} {response.ReasonPhrase}: {await response.Content.ReadAsStringAsync()}";
        }
        // Kestrel's own refusals, before any middleware (so without ProblemDetails): a request line or headers over its limits.
        if (response.StatusCode is HttpStatusCode.RequestUriTooLong or HttpStatusCode.RequestHeaderFieldsTooLarge)
        {
            return null;
        }
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            // 401 is the authentication handler's challenge (WWW-Authenticate), the documented answer to a bad token.
            return response.StatusCode == HttpStatusCode.Unauthorized && response.Headers.WwwAuthenticate.Count > 0
                ? null
                : $"status {status} without ProblemDetails ({response.Content.Headers.ContentType}): {await response.Content.ReadAsStringAsync()}";
        }
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var title = problem.TryGetProperty("title", out var t) ? t.GetString() : null;
        return title is not null && (ErrorCodeValues.Contains(title) || title is "request_too_large" or "rate_limited")
            ? null
            : $"status {status} ProblemDetails with an undocumented title: {problem}";
    }

    /// <summary>Null when <paramref name="frame"/> is a documented server frame, else what is wrong with it.</summary>
    public static string? FrameViolation(JsonElement frame)
    {
        if (frame.ValueKind != JsonValueKind.Object || !frame.TryGetProperty("type", out var type) || !ServerFrameTypes.Contains(type.GetString() ?? ""))
        {
            return $"undocumented frame {frame}";
        }
        if (type.GetString() == "error" && !(frame.TryGetProperty("code", out var code) && ErrorCodeValues.Contains(code.GetString() ?? "")
            && frame.TryGetProperty("message", out var message) && !string.IsNullOrWhiteSpace(message.GetString())))
        {
            return $"error frame without a documented code and a message: {frame}";
        }
        return null;
    }
}
