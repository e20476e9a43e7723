using Microsoft.Extensions.DependencyInjection.Extensions;
using RealtimeAspire.ConnectionService.Presence;

namespace Microsoft.Extensions.Hosting;

public static class PresenceReporting
{
    /// <summary>
    /// Presence reporting to Presence.Service when one is configured (<c>services:presence-service</c>, as the
    /// AppHost's <c>WithReference(presenceService)</c> sets it); otherwise a tracker that does nothing.
    /// </summary>
    public static IHostApplicationBuilder AddPresenceReporting(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        if (!builder.Configuration.GetSection("services:presence-service").Exists())
        {
            services.TryAddSingleton<IPresenceTracker, NoPresenceTracker>();
            return builder;
        }
        services.AddOptions<PresenceReportingOptions>().BindConfiguration(PresenceReportingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PresenceTracker>();
        services.TryAddSingleton<IPresenceTracker>(sp => sp.GetRequiredService<PresenceTracker>());
        services.AddHttpClient<PresenceReportClient>(http => http.BaseAddress = new Uri(PresenceReportingOptions.ServiceUri));
        services.AddHostedService<PresenceReporter>();
        return builder;
    }
}
