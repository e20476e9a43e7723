namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The one judgment and the one wording of a browser-origin refusal, for the edge and the services alike, so a
/// client sees the same 403 whichever layer refused it.
/// </summary>
public static class OriginRefusal
{
    /// <summary>ProblemDetails <c>title</c> of the 403 (and the services' error code).</summary>
    public const string Code = "origin_not_allowed";

    public static string Detail(string origin) =>
        $"Origin '{origin}' is not allowed: it is neither the origin the request was addressed to nor listed in {AllowedOriginsOptions.SectionName}:{nameof(AllowedOriginsOptions.AllowedOrigins)}.";

    /// <summary>
    /// Whether <paramref name="origin"/> is the origin the client addressed: <paramref name="scheme"/> and
    /// <paramref name="host"/> (with port) as the client used them, i.e. behind a proxy the forwarded ones.
    /// </summary>
    public static bool IsSameOrigin(string origin, string scheme, string host) =>
        host.Length > 0 && string.Equals(origin.TrimEnd('/'), $"{scheme}://{host}", StringComparison.OrdinalIgnoreCase);
}
