using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using RealtimeAspire.Integrations.Auth;

namespace RealtimeAspire.Demo.FeedPublisher;

/// <summary>
/// Publishes through the edge's HTTP API, as a backend would: an ephemeral tick every
/// <see cref="FeedPublisherOptions.TickInterval"/> and a durable price every few ticks. A refused or failed publish is
/// logged and counted and the feed goes on: it is a demo's heartbeat, not data anyone must keep.
/// </summary>
public sealed partial class FeedPublisherService(
    HttpClient edge,
    ChannelTokenIssuer tokens,
    IOptions<FeedPublisherOptions> options,
    IMeterFactory meters,
    TimeProvider time,
    ILogger<FeedPublisherService> logger) : BackgroundService
{
    public const string MeterName = "RealtimeAspire.Demo.FeedPublisher";
    private static readonly TimeSpan s_tokenLifetime = TimeSpan.FromHours(1);

    private readonly Counter<long> _published = meters.Create(MeterName).CreateCounter<long>("realtime.demo.published", description: "Publishes of the demo feed, by channel and outcome.");
    private (string Token, DateTimeOffset Renew) _token;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var walk = new PriceWalk(settings.Symbols, Random.Shared);
        using var timer = new PeriodicTimer(settings.TickInterval, time);
        Log.Started(logger, settings.PriceChannel, settings.TickChannel, settings.TickInterval.TotalMilliseconds);
        var tick = 0L;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await PublishAsync(settings.TickChannel, new { value = Random.Shared.NextDouble() }, stoppingToken);
                if (tick++ % settings.TicksPerPrice == 0)
                {
                    var (symbol, price) = walk.Step();
                    await PublishAsync(settings.PriceChannel, new { symbol, price }, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PublishAsync<T>(string channel, T data, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/channels/{Uri.EscapeDataString(channel)}/messages")
        {
            Content = JsonContent.Create(new { data }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token());
        try
        {
            using var response = await edge.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                _published.Add(1, new("channel", channel), new("outcome", "acked"));
                return;
            }
            _published.Add(1, new("channel", channel), new("outcome", "refused"));
            Log.Refused(logger, channel, (int)response.StatusCode, await ProblemTitleAsync(response, cancellationToken));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Not only HttpRequestException: while the edge is down the resilience handler gives up with its own
            // exceptions (a timeout, an open circuit), and one escaping here would end the host: the feed would stay
            // "Finished" after the edge is back (seen in the reliability suite's edge kill).
            _published.Add(1, new("channel", channel), new("outcome", "failed"));
            Log.Failed(logger, channel, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private string Token()
    {
        var settings = options.Value;
        if (time.GetUtcNow() >= _token.Renew)
        {
            _token = (tokens.Issue(FeedPublisherExtensions.Publisher, "Feed publisher", [], [settings.PriceChannel, settings.TickChannel], s_tokenLifetime),
                time.GetUtcNow() + s_tokenLifetime / 2);
        }
        return _token.Token;
    }

    private static async Task<string> ProblemTitleAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).TryGetProperty("title", out var title) ? title.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Publishing prices on {PriceChannel} and ticks on {TickChannel} every {IntervalMs} ms.")]
        public static partial void Started(ILogger logger, string priceChannel, string tickChannel, double intervalMs);

        [LoggerMessage(2, LogLevel.Warning, "A publish on {Channel} was refused: {Status} {Title}")]
        public static partial void Refused(ILogger logger, string channel, int status, string title);

        [LoggerMessage(3, LogLevel.Warning, "A publish on {Channel} failed: {Reason}")]
        public static partial void Failed(ILogger logger, string channel, string reason);
    }
}
