using System.Globalization;
using System.Net;
using Aspire.Hosting.ApplicationModel;

namespace RealtimeAspire.MessageService.Tests.Functional;

[Collection(nameof(MessageServiceCollection))]
public sealed class PostgresOutageTests(MessageServiceFixture fixture)
{
    /// <summary>The outage lasts this long (environment <c>MESSAGE_SERVICE_TESTS_OUTAGE_SECONDS</c>, default 20, the scenario).</summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("MESSAGE_SERVICE_TESTS_OUTAGE_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : 20);

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task MessagesPublishedWhilePostgresIsDownArePersistedWhenItReturnsAndTheServiceIsUnreadyMeanwhile()
    {
        var channel = MessageServiceFixture.NewPrefix("outage");
        var postgres = fixture.Topology.Instance("postgres");
        using var client = fixture.CreateClient();
        long seq = 0;

        await fixture.ProduceAsync(Enumerable.Range(1, 100).Select(_ => MessageServiceFixture.Envelope(channel, ++seq)), Timeout).WaitAsync(Timeout);
        await fixture.WaitUntilAsync(async () => await fixture.CountAsync(channel) == 100, Timeout, "the first 100 persisted").WaitAsync(Timeout + TimeSpan.FromSeconds(10));

        await postgres.StopAsync();
        await fixture.Topology.WaitAsync(() => KnownResourceStates.TerminalStates.Contains(postgres.State), Timeout, "postgres stopped", "postgres");

        // Publish through the outage (more than the service's buffer holds, so its consumer must pause), and watch
        // the readiness check. The volume is bounded: the in-memory mock broker keeps only a few MB per partition.
        var sawUnready = false;
        var outageEnds = DateTime.UtcNow + Outage;
        // Nothing can be committed while the database is down: max-seq cannot catch up and must say so.
        var maxSeqDuringOutage = client.GetAsync(new Uri($"/internal/channels/{channel}/max-seq", UriKind.Relative));
        while (DateTime.UtcNow < outageEnds || !maxSeqDuringOutage.IsCompleted)
        {
            if (seq < 3_000)
            {
                await fixture.ProduceAsync(Enumerable.Range(1, 100).Select(_ => MessageServiceFixture.Envelope(channel, ++seq)), Timeout).WaitAsync(Timeout);
            }
            using var health = await client.GetAsync(new Uri("/health", UriKind.Relative)).WaitAsync(Timeout);
            sawUnready |= health.StatusCode == HttpStatusCode.ServiceUnavailable;
            await Task.Delay(50);
        }
        Assert.True(sawUnready, "/health never answered 503 while PostgreSQL was down.");
        using (var notCaughtUp = await maxSeqDuringOutage.WaitAsync(Timeout))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notCaughtUp.StatusCode);
            Assert.Equal("application/problem+json", notCaughtUp.Content.Headers.ContentType?.MediaType);
        }
        Assert.NotNull(fixture.Topology.Instance(MessageServiceFixture.ServiceName).ProcessId);

        await postgres.StartAsync();
        await fixture.Topology.WaitForResourceHealthyAsync("postgres", Timeout).WaitAsync(Timeout);
        await fixture.WaitUntilAsync(async () => await fixture.CountAsync(channel) == seq, Timeout, $"all {seq} persisted after the outage").WaitAsync(Timeout + TimeSpan.FromSeconds(10));
        await fixture.WaitUntilAsync(async () =>
        {
            using var health = await client.GetAsync(new Uri("/health", UriKind.Relative));
            return health.StatusCode == HttpStatusCode.OK;
        }, Timeout, "message-service ready again").WaitAsync(Timeout + TimeSpan.FromSeconds(10));

        var rows = await fixture.QueryMessagesAsync(channel).WaitAsync(Timeout);
        Assert.Equal(Enumerable.Range(1, (int)seq).Select(i => (long)i), rows.Select(r => r.Seq));
        var service = fixture.Topology.Instance(MessageServiceFixture.ServiceName);
        await service.WaitForLogAsync(line => line.Contains("consumption paused", StringComparison.Ordinal), Timeout, "the pause");
        await service.WaitForLogAsync(line => line.Contains("Consumption resumed", StringComparison.Ordinal), Timeout, "the resumption");
    }
}
