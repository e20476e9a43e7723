using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using RealtimeAspire.PresenceService.Configuration;

namespace RealtimeAspire.PresenceService.Auth;

/// <summary>
/// Bearer tokens as Connection.Service issues and accepts them: JWT HS256 with the configured key, issuer and
/// audience; from the <c>Authorization</c> header or the <c>access_token</c> query parameter. Claims keep their JWT
/// names (<c>sub</c>, <c>name</c>, <c>sub_ch</c>, <c>pub_ch</c>).
/// </summary>
public static class JwtAuthentication
{
    public const string AccessTokenQuery = "access_token";

    public static IHostApplicationBuilder AddPresenceAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, auth) =>
            {
                var settings = auth.Value;
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = settings.Issuer,
                    ValidAudience = settings.Audience,
                    IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(settings.SigningKey)),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    NameClaimType = "sub",
                    ClockSkew = TimeSpan.FromSeconds(30),
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
                };
            });
        builder.Services.AddAuthorization();
        builder.Services.AddSingleton<ReportKey>();
        return builder;
    }
}
