using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace RealtimeAspire.Integrations.Auth;

/// <summary>
/// Bearer tokens as every service accepts them: JWT HS256 with the configured key, issuer and audience, from the
/// <c>Authorization</c> header or the <c>access_token</c> query parameter (browsers cannot set headers on
/// WebSocket and EventSource). Claims keep their JWT names (<c>sub</c>, <c>name</c>, <c>sub_ch</c>, <c>pub_ch</c>).
/// </summary>
public static class ChannelAuthentication
{
    public const string AccessTokenQuery = "access_token";

    /// <summary>The signing settings (section <c>Auth</c>, validated at start) and <see cref="ChannelTokenIssuer"/>.</summary>
    public static IHostApplicationBuilder AddChannelTokens(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<ChannelTokenIssuer>();
        return builder;
    }

    /// <param name="builder">The service being built.</param>
    /// <param name="onChallenge">Called when a request is refused for a missing or invalid token (for a metric).</param>
    public static IHostApplicationBuilder AddChannelAuthentication(this IHostApplicationBuilder builder, Action<JwtBearerChallengeContext>? onChallenge = null)
    {
        builder.AddChannelTokens();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, auth) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = auth.Value.Issuer,
                    ValidAudience = auth.Value.Audience,
                    IssuerSigningKey = auth.Value.SecurityKey(),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = "sub",
                };
                jwt.Events = new JwtBearerEvents
                {
                    OnMessageReceived = context =>
                    {
                        if (string.IsNullOrEmpty(context.Token) && context.Request.Query.TryGetValue(AccessTokenQuery, out var token))
                        {
                            context.Token = token.ToString();
                        }
                        return Task.CompletedTask;
                    },
                    OnChallenge = context =>
                    {
                        onChallenge?.Invoke(context);
                        return Task.CompletedTask;
                    },
                };
            });
        builder.Services.AddAuthorization();
        return builder;
    }
}
