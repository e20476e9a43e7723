using System.ComponentModel.DataAnnotations;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The browser origins allowed to call the platform (CORS) and to open WebSocket and SSE connections, in one
/// place for the edge and every service: <c>Cors:AllowedOrigins</c>, e.g. <c>["https://app.example.com"]</c>.
/// An origin is <c>scheme://host[:port]</c>; an empty list allows no cross-origin browser; <c>*</c> allows every
/// origin (development only: any site could then open connections with a user's cookies).
/// </summary>
public sealed class AllowedOriginsOptions : IValidatableObject
{
    public const string SectionName = "Cors";

    public const string AnyOrigin = "*";

    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Whether a browser's <c>Origin</c> header value is on the list (scheme and host compared case-insensitively).</summary>
    public bool IsAllowed(string? origin)
    {
        if (string.IsNullOrEmpty(origin))
        {
            return false;
        }
        var normalized = Normalize(origin);
        foreach (var allowed in AllowedOrigins)
        {
            if (allowed == AnyOrigin || string.Equals(Normalize(allowed), normalized, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Reports every malformed entry, each by the configuration key to fix.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < AllowedOrigins.Length; i++)
        {
            var origin = AllowedOrigins[i];
            if (origin == AnyOrigin)
            {
                continue;
            }
            if (origin is null || !Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || uri.PathAndQuery != "/"
                || !string.IsNullOrEmpty(uri.Fragment))
            {
                yield return new ValidationResult(
                    $"{SectionName}:{nameof(AllowedOrigins)}:{i} = '{origin}' is not an origin: use scheme://host[:port] (http or https, no path) or *.",
                    [nameof(AllowedOrigins)]);
            }
        }
    }

    private static string Normalize(string origin) => origin.TrimEnd('/');
}
