using Microsoft.Extensions.DependencyInjection;
using RealtimeAspire.AppHost.LocalInfrastructure;

namespace RealtimeAspire.AppHost.Topology;

public static class ResourceInventoryExtensions
{
    public const string FileName = "resources.json";

    /// <summary>Keeps <see cref="ResourceInventoryFile"/> in the data folder during a local run.</summary>
    public static IDistributedApplicationBuilder AddResourceInventoryFile(this IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsPublishMode)
        {
            var folder = LocalInfrastructureOptions.From(builder).ResolvedDataPath;
            Directory.CreateDirectory(folder);
            builder.Services.AddHostedService(sp => new ResourceInventoryFile(sp.GetRequiredService<ResourceNotificationService>(), Path.Combine(folder, FileName)));
        }
        return builder;
    }
}
