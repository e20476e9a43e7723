using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RealtimeAspire.Contracts.Auth;

namespace RealtimeAspire.ConnectionService.Auth;

/// <summary>Signs development tokens with the configured key (Development only: see <see cref="Apis.DevTokenApi"/>).</summary>
public sealed class TokenIssuer(IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new();

    public static SymmetricSecurityKey Key(AuthOptions options) => new(Encoding.UTF8.GetBytes(options.SigningKey));

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
            Expires = now + settings.DevTokenLifetime,
            SigningCredentials = new SigningCredentials(Key(settings), SecurityAlgorithms.HmacSha256),
        });
    }
}
