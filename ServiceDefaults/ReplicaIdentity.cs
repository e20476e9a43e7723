using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Which copy of which service this process is, from the variables Aspire (and our AppHost) set:
/// <c>OTEL_SERVICE_NAME</c> and <c>service.instance.id</c> in <c>OTEL_RESOURCE_ATTRIBUTES</c>.
/// </summary>
public sealed record ReplicaIdentity(string Service, string InstanceId)
{
    /// <summary>
    /// The replica's name as the AppHost and the edge know it: <c>connection-service-1</c>. The AppHost gives a replica
    /// its whole resource name as instance id; other instance ids (Aspire's generated suffixes) are appended to the service.
    /// </summary>
    public string Name => InstanceId.StartsWith(Service + "-", StringComparison.Ordinal) ? InstanceId : $"{Service}-{InstanceId}";

    public static ReplicaIdentity From(IConfiguration configuration, string fallbackService)
    {
        var service = configuration["OTEL_SERVICE_NAME"] ?? fallbackService;
        var instance = (configuration["OTEL_RESOURCE_ATTRIBUTES"] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .FirstOrDefault(pair => pair.Length == 2 && pair[0] == "service.instance.id")?[1]
            ?? Environment.MachineName;
        return new ReplicaIdentity(service, instance);
    }
}
