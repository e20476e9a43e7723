using RealtimeAspire.ConnectionService.Diagnostics;
using RealtimeAspire.Integrations.Auth;

namespace RealtimeAspire.ConnectionService.Auth;

public static class AuthSetup
{
    /// <summary>Token validation shared with the other services, development tokens, and the browser-origin check.</summary>
    public static IHostApplicationBuilder AddRealtimeAuth(this IHostApplicationBuilder builder)
    {
        builder.AddChannelAuthentication(challenge => challenge.HttpContext.RequestServices.GetRequiredService<ConnectionMetrics>()
            .AuthFailed(challenge.AuthenticateFailure is null ? "missing" : "invalid"));
        builder.Services.AddOptions<DevTokenOptions>().BindConfiguration(AuthOptions.SectionName);
        builder.Services.AddOptions<AllowedOriginsOptions>().BindConfiguration(AllowedOriginsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<OriginPolicy>();
        builder.Services.AddSingleton<ConnectionTokenValidator>();
        return builder;
    }
}
