using System.Text.RegularExpressions;
using Confluent.Kafka;

namespace RealtimeAspire.KafkaMockBroker;

/// <summary>
/// librdkafka creates a mock cluster inside any client configured with <c>test.mock.num.brokers</c> and logs
/// the address it listens on; that client must stay alive for the cluster to live.
/// </summary>
public sealed partial class MockCluster : IDisposable
{
    public const string ReadyPrefix = "Kafka mock cluster listening on ";

    private readonly IProducer<Null, Null> _owner;

    private MockCluster(IProducer<Null, Null> owner, string bootstrapServers)
    {
        _owner = owner;
        BootstrapServers = bootstrapServers;
    }

    public string BootstrapServers { get; }

    public static MockCluster Start(MockBrokerOptions options)
    {
        var address = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var config = new ProducerConfig { BootstrapServers = "localhost:9092" };
        config.Set("test.mock.num.brokers", options.Brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var owner = new ProducerBuilder<Null, Null>(config)
            .SetLogHandler((_, message) =>
            {
                var match = MockBootstrap().Match(message.Message);
                if (match.Success)
                {
                    address.TrySetResult(match.Groups[1].Value);
                }
            })
            .Build();
        if (!address.Task.Wait(TimeSpan.FromSeconds(30)))
        {
            owner.Dispose();
            throw new InvalidOperationException("librdkafka did not report the mock cluster's address.");
        }

        var cluster = new MockCluster(owner, address.Task.Result);
        cluster.CreateTopics(options.Topics);
        return cluster;
    }

    /// <summary>The mock cluster's CreateTopics waits for a controller that never comes; a metadata request auto-creates a topic instead.</summary>
    private void CreateTopics(IEnumerable<string> topics)
    {
        using var admin = new DependentAdminClientBuilder(_owner.Handle).Build();
        foreach (var topic in topics)
        {
            admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        }
    }

    public void Dispose() => _owner.Dispose();

    [GeneratedRegex(@"replaced with (\S+)")]
    private static partial Regex MockBootstrap();
}
