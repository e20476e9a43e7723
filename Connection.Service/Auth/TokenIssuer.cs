using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RealtimeAspire.Contracts.Auth;
using RealtimeAspire.Integrations.Auth;

namespace RealtimeAspire.ConnectionService.Auth;

/// <summary>Signs development tokens with the configured key (Development only: see <see cref="Apis.DevTokenApi"/>).</summary>
public sealed class TokenIssuer(IOptions<AuthOptions> options, IOptions<DevTokenOptions> devTokens, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new();

    public string Issue(string user, string? name, IEnumerable<string> subscribe, IEnumerable<string> publish)
    {
        var settings = options.Value;
        var claims = new List<Claim> { new("sub", user), new("name", name ?? user) };
        claims.AddRange(subscribe.Select(p => new Claim(ChannelPermissions.SubscribeClaim, p)));
        claims.AddRange(publish.Select(p => new Claim(ChannelPermissions.PublishClaim, p)));
        var now = time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + devTokens.Value.DevTokenLifetime,
            SigningCredentials = new SigningCredentials(settings.SecurityKey(), SecurityAlgorithms.HmacSha256),
        });
    }
}
