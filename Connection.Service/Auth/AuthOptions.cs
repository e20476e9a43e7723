using System.ComponentModel.DataAnnotations;

namespace RealtimeAspire.ConnectionService.Auth;

/// <summary>Section <c>Auth</c>: how connection tokens (JWT, HS256) are validated.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>HS256 key; the AppHost generates one for development (<c>Auth__SigningKey</c>). At least 32 characters.</summary>
    [Required, MinLength(32)] public string SigningKey { get; set; } = "";

    [Required] public string Issuer { get; set; } = "realtime-aspire";

    [Required] public string Audience { get; set; } = "realtime-aspire";

    /// <summary>Lifetime of development tokens from <c>POST /api/dev/token</c>.</summary>
    public TimeSpan DevTokenLifetime { get; set; } = TimeSpan.FromHours(12);
}
