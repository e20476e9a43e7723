using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace RealtimeAspire.Integrations.Auth;

/// <summary>Section <c>Auth</c>, the same for every service: how connection tokens (JWT, HS256) are signed and validated.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>HS256 key; the AppHost generates one for development (<c>Auth__SigningKey</c>). At least 32 characters.</summary>
    [Required, MinLength(32)] public string SigningKey { get; set; } = "";

    [Required] public string Issuer { get; set; } = "realtime-aspire";

    [Required] public string Audience { get; set; } = "realtime-aspire";

    public SymmetricSecurityKey SecurityKey() => new(Encoding.UTF8.GetBytes(SigningKey));
}
