using System.Diagnostics;
using OpenTelemetry;

namespace RealtimeAspire.ServiceDefaults.Redaction;

/// <summary>
/// Takes tokens out of a span's attributes before it is exported. The ASP.NET Core and HttpClient instrumentations
/// redact query values themselves (<c>url.query</c>, <c>url.full</c>, since 1.8.1), but an Aspire AppHost turns that
/// off for every project it runs (<c>OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_DISABLE_URL_QUERY_REDACTION</c> and
/// <c>…_HTTPCLIENT_…=true</c>), and other sources (YARP, ours) tag what they like: this holds whatever is configured.
/// Registered before the exporters, so it runs first on a span's end.
/// </summary>
internal sealed class AccessTokenRedactionProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        List<KeyValuePair<string, string>>? redacted = null;
        foreach (var tag in data.TagObjects)
        {
            if (tag.Value is string text && AccessTokenRedaction.MayContainToken(text))
            {
                (redacted ??= []).Add(new(tag.Key, AccessTokenRedaction.Redact(text)));
            }
        }
        if (redacted is null)
        {
            return;
        }
        foreach (var (key, value) in redacted)
        {
            data.SetTag(key, value);
        }
    }
}
