namespace RealtimeAspire.AppHost.LocalInfrastructure;

/// <summary>
/// librdkafka's in-memory mock cluster in a process of its own (tools/KafkaMockBroker). It keeps messages in memory
/// and loses them when it stops: local development only. Clients bootstrap at the resource's endpoint, which the
/// broker process forwards to the cluster.
/// </summary>
public sealed class KafkaDevBrokerResource(string name, string assemblyPath)
    : ExecutableResource(name, "dotnet", workingDirectory: Path.GetDirectoryName(assemblyPath)!), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public const string Note =
        "Embedded librdkafka mock broker: keeps messages in memory, loses them on restart; for local development only. " +
        "Set ConnectionStrings:kafka to use a real cluster.";

    public string AssemblyPath { get; } = assemblyPath;

    public EndpointReference Endpoint => new(this, EndpointName);

    /// <summary>Bootstrap servers, as Aspire's Kafka resource gives them.</summary>
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"127.0.0.1:{Endpoint.Property(EndpointProperty.Port)}");
}
