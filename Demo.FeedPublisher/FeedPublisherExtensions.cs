using RealtimeAspire.Client;
using RealtimeAspire.Integrations.Auth;

namespace RealtimeAspire.Demo.FeedPublisher;

public static class FeedPublisherExtensions
{
    /// <summary>Who the feed publishes as, and for how long one of its tokens lasts (the client asks again when refused).</summary>
    public const string Publisher = "feed-publisher";
    private static readonly TimeSpan s_tokenLifetime = TimeSpan.FromHours(1);

    /// <summary>
    /// The demo's feed: the .NET client to the edge (<c>services:edge:http:0</c>), its tokens signed with the shared
    /// <c>Auth:SigningKey</c> for the feed's two channels only, and the publishing loop.
    /// </summary>
    public static IHostApplicationBuilder AddFeedPublisher(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FeedPublisherOptions>().BindConfiguration(FeedPublisherOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.AddChannelTokens();
        builder.Services.AddRealtimeClient();
        builder.Services.AddOptions<RealtimeClientOptions>().Configure<ChannelTokenIssuer, Microsoft.Extensions.Options.IOptions<FeedPublisherOptions>>((client, tokens, feed) =>
            client.TokenProvider = _ => ValueTask.FromResult(tokens.Issue(Publisher, "Feed publisher", [], [feed.Value.PriceChannel, feed.Value.TickChannel], s_tokenLifetime)));
        builder.Services.AddHostedService<FeedPublisherService>();
        return builder;
    }
}
