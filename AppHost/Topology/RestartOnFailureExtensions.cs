using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace RealtimeAspire.AppHost.Topology;

public static class RestartOnFailureExtensions
{
    /// <summary>Starts the resource again when its process fails (<see cref="RestartOnFailure"/>); local runs only.</summary>
    public static IResourceBuilder<T> WithRestartOnFailure<T>(this IResourceBuilder<T> builder) where T : IResource
    {
        if (builder.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            // The platform restarts containers (Container Apps does).
            return builder;
        }
        var services = builder.ApplicationBuilder.Services;
        services.TryAddSingleton<RestartOnFailure>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RestartOnFailure>(sp => sp.GetRequiredService<RestartOnFailure>()));
        return builder.WithAnnotation(new RestartOnFailureAnnotation(), ResourceAnnotationMutationBehavior.Replace);
    }
}
