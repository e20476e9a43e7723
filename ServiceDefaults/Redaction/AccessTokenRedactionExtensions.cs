using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RealtimeAspire.ServiceDefaults.Redaction;

public static class AccessTokenRedactionExtensions
{
    /// <summary>
    /// Every logger of the service goes through <see cref="AccessTokenRedactingLoggerFactory"/>: the host's
    /// <see cref="ILoggerFactory"/> registration (whatever it is) is kept and wrapped.
    /// </summary>
    public static TBuilder AddAccessTokenRedaction<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var registered = builder.Services.LastOrDefault(d => d.ServiceType == typeof(ILoggerFactory) && !d.IsKeyedService);
        if (registered is null || registered.ImplementationFactory?.Target is RedactingFactoryMarker)
        {
            return builder;
        }
        var marker = new RedactingFactoryMarker(registered);
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(marker.Create));
        return builder;
    }

    /// <summary>Builds the host's own factory as it was registered, and wraps it (the wrapper disposes it).</summary>
    private sealed class RedactingFactoryMarker(ServiceDescriptor inner)
    {
        public ILoggerFactory Create(IServiceProvider services) => new AccessTokenRedactingLoggerFactory(inner switch
        {
            { ImplementationInstance: ILoggerFactory instance } => instance,
            { ImplementationFactory: { } factory } => (ILoggerFactory)factory(services),
            { ImplementationType: { } type } => (ILoggerFactory)ActivatorUtilities.CreateInstance(services, type),
            _ => throw new InvalidOperationException("The ILoggerFactory registration has no implementation."),
        });
    }
}
