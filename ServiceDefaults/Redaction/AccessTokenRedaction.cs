using System.Buffers;
using System.Text.RegularExpressions;

namespace RealtimeAspire.ServiceDefaults.Redaction;

/// <summary>
/// Takes bearer tokens out of text bound for a log line or a span attribute: the value of an <c>access_token</c> query
/// parameter (SSE and long-poll clients must send their token that way: <c>EventSource</c> cannot set headers) becomes
/// <see cref="Replacement"/>, the parameter's name and the rest of the query stay; a JWT anywhere else (a header value,
/// say) becomes <see cref="Replacement"/> too.
/// </summary>
public static partial class AccessTokenRedaction
{
    public const string Replacement = "[redacted]";

    // Every text that can hold a token holds one of these; anything else is returned as it is, without a regex run.
    // "token=" also covers a percent-encoded name (access%5Ftoken=), which ASP.NET Core decodes and accepts.
    private static readonly SearchValues<string> s_markers = SearchValues.Create(["token=", "eyJ"], StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="text"/> may carry a token (a cheap scan; <see cref="Redact"/> decides).</summary>
    public static bool MayContainToken(ReadOnlySpan<char> text) => text.ContainsAny(s_markers);

    /// <summary><paramref name="text"/> with every token replaced; the same instance when it holds none.</summary>
    public static string Redact(string text)
    {
        if (!MayContainToken(text))
        {
            return text;
        }
        var withoutQueryTokens = AccessTokenParameter().Replace(text, "${name}" + Replacement);
        return Jwt().Replace(withoutQueryTokens, Replacement);
    }

    /// <summary>
    /// <c>access_token=</c> (any case, the underscore possibly percent-encoded) and its value up to the next
    /// parameter, fragment, space or quote: a value is percent-encoded in a URL, so none of those can be part of it.
    /// </summary>
    [GeneratedRegex(@"(?<name>access(?:_|%5F)token=)[^&#\s""'<>]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AccessTokenParameter();

    /// <summary>A JWT: base64url header starting <c>{"</c> (<c>eyJ</c>), payload and signature.</summary>
    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*", RegexOptions.CultureInvariant)]
    private static partial Regex Jwt();
}
