using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace RealtimeAspire.AppHost.Topology;

public static class NicenessExtensions
{
    /// <summary>
    /// Runs the resource's processes at this CPU priority in local runs (<see cref="NicenessApplier"/>). A negative value
    /// needs root or CAP_SYS_NICE; without it the process keeps normal priority and the AppHost logs why.
    /// </summary>
    public static IResourceBuilder<T> WithNiceness<T>(this IResourceBuilder<T> builder, ResourceNiceness niceness) where T : IResource
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(niceness.Value, -20);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(niceness.Value, 19);
        if (builder.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            return builder;
        }
        builder.ApplicationBuilder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, NicenessApplier>());
        return builder.WithAnnotation(niceness, ResourceAnnotationMutationBehavior.Replace);
    }
}
