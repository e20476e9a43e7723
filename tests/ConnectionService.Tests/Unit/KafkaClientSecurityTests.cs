using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RealtimeAspire.Integrations.Kafka;

namespace RealtimeAspire.ConnectionService.Tests.Unit;

/// <summary>A managed cluster's security (Event Hubs' Kafka endpoint: SASL_SSL, PLAIN, <c>$ConnectionString</c>) reaches every client.</summary>
public sealed class KafkaClientSecurityTests
{
    private const string EventHubs = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send-listen;SharedAccessKey=abc=";

    [Fact]
    public void ClientSettingsFromConfigurationReachProducersConsumersAndTheAdminClient()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:kafka"] = "ns.servicebus.windows.net:9093",
            ["RealtimeAspire:Kafka:Client:SecurityProtocol"] = "SaslSsl",
            ["RealtimeAspire:Kafka:Client:SaslMechanism"] = "Plain",
            ["RealtimeAspire:Kafka:Client:SaslUsername"] = "$ConnectionString",
            ["RealtimeAspire:Kafka:Client:SaslPassword"] = EventHubs,
        });
        builder.AddKafkaClient("kafka", settings => settings.DisableHealthChecks = true);
        using var services = builder.Services.BuildServiceProvider();
        var connection = services.GetRequiredService<KafkaConnection>();

        var producer = new ProducerConfig();
        connection.CreateProducerBuilder<Null, string>(producer);
        var consumer = new ConsumerConfig { GroupId = "g" };
        connection.CreateConsumerBuilder<Null, string>(consumer);

        foreach (ClientConfig config in new ClientConfig[] { producer, consumer, connection.CreateAdminConfig() })
        {
            Assert.Equal("ns.servicebus.windows.net:9093", config.BootstrapServers);
            Assert.Equal(SecurityProtocol.SaslSsl, config.SecurityProtocol);
            Assert.Equal(SaslMechanism.Plain, config.SaslMechanism);
            Assert.Equal("$ConnectionString", config.SaslUsername);
            Assert.Equal(EventHubs, config.SaslPassword);
        }
    }

    [Fact]
    public void WithoutClientSettingsAClientIsPlaintextToTheBootstrapServers()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:kafka"] = "127.0.0.1:9092" });
        builder.AddKafkaClient("kafka", settings => settings.DisableHealthChecks = true);
        using var services = builder.Services.BuildServiceProvider();

        var admin = services.GetRequiredService<KafkaConnection>().CreateAdminConfig();

        Assert.Equal("127.0.0.1:9092", admin.BootstrapServers);
        Assert.Null(admin.SecurityProtocol);
        Assert.Single(admin);
    }
}
