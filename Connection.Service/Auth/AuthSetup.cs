using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using RealtimeAspire.ConnectionService.Diagnostics;

namespace RealtimeAspire.ConnectionService.Auth;

public static class AuthSetup
{
    /// <summary>JWT bearer authentication from <c>Authorization: Bearer</c> or the <c>access_token</c> query parameter.</summary>
    public static IHostApplicationBuilder AddRealtimeAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddOptions<AllowedOriginsOptions>().BindConfiguration(AllowedOriginsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<OriginPolicy>();
        builder.Services.AddAuthorization();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, ConnectionMetrics>((jwt, auth, metrics) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = auth.Value.Issuer,
                    ValidAudience = auth.Value.Audience,
                    IssuerSigningKey = TokenIssuer.Key(auth.Value),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = "sub",
                };
                jwt.Events = new JwtBearerEvents
                {
                    // EventSource and WebSocket clients in browsers cannot set headers.
                    OnMessageReceived = context =>
                    {
                        if (context.Request.Query["access_token"] is { Count: > 0 } token)
                        {
                            context.Token = token.ToString();
                        }
                        return Task.CompletedTask;
                    },
                    OnChallenge = context =>
                    {
                        metrics.AuthFailed(context.AuthenticateFailure is null ? "missing" : "invalid");
                        return Task.CompletedTask;
                    },
                };
            });
        return builder;
    }
}
