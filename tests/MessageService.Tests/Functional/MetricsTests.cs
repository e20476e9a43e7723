namespace RealtimeAspire.MessageService.Tests.Functional;

[Collection(nameof(MessageServiceCollection))]
public sealed class MetricsTests(MessageServiceFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ThePipelineReportsThroughputBatchSizesWriteLatencyAndLag()
    {
        var channel = MessageServiceFixture.NewPrefix("metrics");
        var before = await fixture.MetricAsync("realtime_messages_persisted_total").WaitAsync(Timeout);

        await fixture.ProduceAsync(Enumerable.Range(1, 50).Select(s => MessageServiceFixture.Envelope(channel, s)), Timeout).WaitAsync(Timeout);
        await fixture.WaitUntilAsync(async () => await fixture.CountAsync(channel) == 50, Timeout, "50 persisted").WaitAsync(Timeout);

        await fixture.WaitUntilAsync(async () => await fixture.MetricAsync("realtime_messages_persisted_total") >= before + 50, Timeout, "persisted counted").WaitAsync(Timeout);
        Assert.True(await fixture.MetricAsync("realtime_messages_batch_size_count").WaitAsync(Timeout) > 0);
        Assert.True(await fixture.MetricAsync("realtime_messages_db_write_duration_seconds_count").WaitAsync(Timeout) > 0);
        await fixture.WaitUntilAsync(async () =>
        {
            using var client = fixture.CreateClient();
            var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            return text.Contains("realtime_messages_consumer_lag{", StringComparison.Ordinal) && text.Contains("partition=", StringComparison.Ordinal);
        }, Timeout, "lag per partition reported").WaitAsync(Timeout);
    }

    [Fact]
    public async Task TheClientIntegrationsReportKafkaStatisticsAndNpgsqlCommands()
    {
        var channel = MessageServiceFixture.NewPrefix("metrics");
        await fixture.ProduceAsync(Enumerable.Range(1, 10).Select(s => MessageServiceFixture.Envelope(channel, s)), Timeout).WaitAsync(Timeout);
        await fixture.WaitUntilAsync(async () => await fixture.CountAsync(channel) == 10, Timeout, "10 persisted").WaitAsync(Timeout);

        // librdkafka reports every StatisticsIntervalMs (5 s by default): the consume loop's received messages.
        await fixture.WaitUntilAsync(async () => Samples(await MetricsTextAsync(), "messaging_kafka_message_rx").Sum() > 0,
            Timeout, "messaging.kafka.message.rx reported from librdkafka's statistics").WaitAsync(Timeout);
        // Aspire.Npgsql's meter: the batch writer's commands through the one data source.
        Assert.NotEmpty(Samples(await MetricsTextAsync().WaitAsync(Timeout), "db_client_"));
    }

    private async Task<string> MetricsTextAsync()
    {
        using var client = fixture.CreateClient();
        return await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
    }

    /// <summary>The values of the samples whose name starts with <paramref name="namePrefix"/>: <c>name[{labels}] value [timestamp]</c>.</summary>
    private static IEnumerable<double> Samples(string text, string namePrefix)
    {
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(namePrefix, StringComparison.Ordinal))
            {
                continue;
            }
            var afterName = line.Contains('}', StringComparison.Ordinal) ? line[(line.LastIndexOf('}') + 1)..] : line[line.IndexOf(' ', StringComparison.Ordinal)..];
            yield return double.Parse(afterName.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
