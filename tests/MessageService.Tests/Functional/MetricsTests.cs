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
}
