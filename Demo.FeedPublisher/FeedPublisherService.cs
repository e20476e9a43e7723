using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using RealtimeAspire.Client;

namespace RealtimeAspire.Demo.FeedPublisher;

/// <summary>
/// Publishes through the edge, as any backend would with the .NET client: an ephemeral tick every
/// <see cref="FeedPublisherOptions.TickInterval"/> and a durable price every few ticks. A refused or failed publish is
/// logged and counted and the feed goes on: it is a demo's heartbeat, not data anyone must keep.
/// </summary>
public sealed partial class FeedPublisherService(
    RealtimeClient client,
    IOptions<FeedPublisherOptions> options,
    IMeterFactory meters,
    TimeProvider time,
    ILogger<FeedPublisherService> logger) : BackgroundService
{
    public const string MeterName = "RealtimeAspire.Demo.FeedPublisher";

    private readonly Counter<long> _published = meters.Create(MeterName).CreateCounter<long>("realtime.demo.published", description: "Publishes of the demo feed, by channel and outcome.");

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
        try
        {
            await client.PublishAsync(channel, data, cancellationToken);
            _published.Add(1, new("channel", channel), new("outcome", "acked"));
        }
        catch (RealtimeException ex)
        {
            _published.Add(1, new("channel", channel), new("outcome", "refused"));
            Log.Refused(logger, channel, ex.Code, ex.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Publishing prices on {PriceChannel} and ticks on {TickChannel} every {IntervalMs} ms.")]
        public static partial void Started(ILogger logger, string priceChannel, string tickChannel, double intervalMs);

        [LoggerMessage(2, LogLevel.Warning, "A publish on {Channel} was refused: {Code} {Reason}")]
        public static partial void Refused(ILogger logger, string channel, string code, string reason);
    }
}
