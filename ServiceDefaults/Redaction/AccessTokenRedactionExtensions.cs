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
        if (registered is null || registered.ImplementationFactory?.Target is WrappedRegistration)
        {
            return builder;
        }
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(new WrappedRegistration(registered).Create));
        return builder;
    }

    /// <summary>
    /// The host's own registration, built as it was registered and wrapped (the wrapper disposes it). Calling
    /// <see cref="AddAccessTokenRedaction"/> again finds this one and wraps nothing twice.
    /// </summary>
    private sealed class WrappedRegistration(ServiceDescriptor inner)
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
