using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RealtimeAspire.Contracts.Auth;

namespace RealtimeAspire.Integrations.Auth;

/// <summary>
/// Signs connection tokens with the configured key, as every service validates them (<see cref="ChannelAuthentication"/>):
/// Connection.Service's development tokens and its calls on a subscriber's behalf, and backends that publish (the
/// demo's feed publisher).
/// </summary>
public sealed class ChannelTokenIssuer(IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new();

    public string Issue(string user, string? name, IEnumerable<string> subscribe, IEnumerable<string> publish, TimeSpan lifetime)
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
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(settings.SecurityKey(), SecurityAlgorithms.HmacSha256),
        });
    }
}
