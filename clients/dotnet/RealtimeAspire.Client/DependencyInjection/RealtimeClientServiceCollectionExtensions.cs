using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RealtimeAspire.Client;

#pragma warning disable IDE0130 // Namespace of the extension = the namespace of IServiceCollection, as Aspire's client integrations do.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

public static class RealtimeClientServiceCollectionExtensions
{
    /// <summary>The HttpClient the registered client uses (configure resilience or handlers on it by this name).</summary>
    public const string HttpClientName = "RealtimeAspire.Client";

    /// <summary>
    /// Registers a singleton <see cref="RealtimeClient"/> configured from section <c>RealtimeClient</c>, its
    /// <c>EdgeUrl</c> defaulting to Aspire's service discovery variable <c>services:edge:https:0</c> / <c>services:edge:http:0</c>
    /// (what <c>WithReference(edge)</c> sets), then <paramref name="configure"/>; options validated at start-up.
    /// </summary>
    public static IServiceCollection AddRealtimeClient(this IServiceCollection services, Action<RealtimeClientOptions>? configure = null, string edgeServiceName = "edge")
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RealtimeClientOptions>()
            .Configure<IConfiguration>((o, configuration) =>
            {
                configuration.GetSection(RealtimeClientOptions.SectionName).Bind(o);
                if (o.EdgeUrl is null
                    && (configuration[$"services:{edgeServiceName}:https:0"] ?? configuration[$"services:{edgeServiceName}:http:0"]) is { Length: > 0 } url
                    && Uri.TryCreate(url, UriKind.Absolute, out var edge))
                {
                    o.EdgeUrl = edge;
                }
            });
        if (configure is not null)
        {
            options.Configure(configure);
        }
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RealtimeClientOptions>, RealtimeClientOptionsValidation>());
        // Long-lived streams: no overall timeout; no cookie jar shared between clients (the affinity key travels as a header).
        services.AddHttpClient(HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseCookies = false });
        services.TryAddSingleton(sp => new RealtimeClient(
            sp.GetRequiredService<IOptions<RealtimeClientOptions>>().Value,
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetService<ILogger<RealtimeClient>>()));
        return services;
    }

    private sealed class RealtimeClientOptionsValidation : IValidateOptions<RealtimeClientOptions>
    {
        public ValidateOptionsResult Validate(string? name, RealtimeClientOptions options) =>
            options.Validate() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
