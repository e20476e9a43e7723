using System.Text;
using Confluent.Kafka;
using RealtimeAspire.Contracts;

namespace RealtimeAspire.MessageService.Tests.Functional;

[Collection(nameof(MessageServiceCollection))]
public sealed class DeadLetterTests(MessageServiceFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task BadEnvelopesGoToTheDeadLetterTopicWithAReasonAndLaterMessagesOnThePartitionArePersisted()
    {
        var channel = MessageServiceFixture.NewPrefix("dlq");
        var notJson = Encoding.UTF8.GetBytes($"not json {channel}");
        var missingFields = Encoding.UTF8.GetBytes($$"""{"msgId":"{{channel}}-incomplete","channel":"{{channel}}"}""");

        // Same key, so the same partition, in this order: bad, bad, good.
        await fixture.ProduceRawAsync(channel, notJson, Timeout).WaitAsync(Timeout);
        await fixture.ProduceRawAsync(channel, missingFields, Timeout).WaitAsync(Timeout);
        await fixture.ProduceAsync([MessageServiceFixture.Envelope(channel, 1)], Timeout).WaitAsync(Timeout);

        await fixture.WaitUntilAsync(async () => await fixture.CountAsync(channel) == 1, Timeout, "the good message persisted").WaitAsync(Timeout);

        var reasons = await Task.Run(() => ReadDeadLetters(channel, expected: 2), CancellationToken.None).WaitAsync(Timeout);
        Assert.StartsWith("invalid-json", reasons[Encoding.UTF8.GetString(notJson)], StringComparison.Ordinal);
        Assert.StartsWith("invalid-envelope", reasons[Encoding.UTF8.GetString(missingFields)], StringComparison.Ordinal);
    }

    /// <summary>Reads the dead-letter topic from the start until <paramref name="expected"/> records of this key are found.</summary>
    private Dictionary<string, string> ReadDeadLetters(string key, int expected)
    {
        using var consumer = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = fixture.KafkaBootstrap,
            GroupId = $"dlq-reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(KafkaTopics.DeadLetters);
        var found = new Dictionary<string, string>();
        var deadline = DateTime.UtcNow + Timeout;
        while (found.Count < expected && DateTime.UtcNow < deadline)
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (record?.Message is { } message && message.Key == key && message.Headers.TryGetLastBytes("dlq-reason", out var reason))
            {
                found[Encoding.UTF8.GetString(message.Value)] = Encoding.UTF8.GetString(reason);
            }
        }
        consumer.Close();
        Assert.Equal(expected, found.Count);
        return found;
    }
}
