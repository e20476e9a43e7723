using RealtimeAspire.Integrations.Auth;

namespace RealtimeAspire.Demo.FeedPublisher;

public static class FeedPublisherExtensions
{
    /// <summary>Who the feed publishes as.</summary>
    public const string Publisher = "feed-publisher";

    /// <summary>The edge through Aspire's service discovery (<c>services:edge:http:0</c>, from <c>WithReference(edge)</c>).</summary>
    public const string EdgeUri = "http://edge";

    /// <summary>
    /// The demo's feed: HTTP publishes to the edge (a backend that only publishes holds no connection, so it takes no
    /// replica's share of the balancer), tokens signed with the shared <c>Auth:SigningKey</c> for the feed's two
    /// channels only, and the publishing loop.
    /// </summary>
    public static IHostApplicationBuilder AddFeedPublisher(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FeedPublisherOptions>().BindConfiguration(FeedPublisherOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.AddChannelTokens();
        builder.Services.AddHttpClient<FeedPublisherService>(http => http.BaseAddress = new Uri(EdgeUri));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FeedPublisherService>());
        return builder;
    }
}
