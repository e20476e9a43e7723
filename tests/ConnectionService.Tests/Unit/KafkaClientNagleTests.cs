using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RealtimeAspire.Integrations.Kafka;

namespace RealtimeAspire.ConnectionService.Tests.Unit;

/// <summary>Every producer and consumer sends without Nagle's delay (TCP_NODELAY), unless the cluster's settings say otherwise.</summary>
public sealed class KafkaClientNagleTests
{
    [Fact]
    public void ProducersAndConsumersDisableNagleByDefault()
    {
        var (producer, consumer) = Configs(new Dictionary<string, string?>());

        Assert.True(producer.SocketNagleDisable);
        Assert.True(consumer.SocketNagleDisable);
    }

    [Fact]
    public void AClusterSettingForNagleIsKept()
    {
        var (producer, consumer) = Configs(new Dictionary<string, string?> { ["RealtimeAspire:Kafka:Client:SocketNagleDisable"] = "false" });

        Assert.False(producer.SocketNagleDisable);
        Assert.False(consumer.SocketNagleDisable);
    }

    private static (ProducerConfig Producer, ConsumerConfig Consumer) Configs(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings) { ["ConnectionStrings:kafka"] = "127.0.0.1:9092" });
        builder.AddKafkaClient("kafka", s => s.DisableHealthChecks = true);
        using var services = builder.Services.BuildServiceProvider();
        var connection = services.GetRequiredService<KafkaConnection>();

        var producer = new ProducerConfig();
        connection.CreateProducerBuilder<Null, string>(producer);
        var consumer = new ConsumerConfig { GroupId = "g" };
        connection.CreateConsumerBuilder<Null, string>(consumer);
        return (producer, consumer);
    }
}
