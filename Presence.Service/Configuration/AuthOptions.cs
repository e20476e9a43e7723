using System.ComponentModel.DataAnnotations;

namespace RealtimeAspire.PresenceService.Configuration;

/// <summary>Section <c>Auth</c>: how bearer tokens (JWT, HS256) are validated; the same settings as Connection.Service's.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>HS256 key; the AppHost generates one for development (<c>Auth__SigningKey</c>). At least 32 characters.</summary>
    [Required, MinLength(32)] public string SigningKey { get; set; } = "";

    [Required] public string Issuer { get; set; } = "realtime-aspire";

    [Required] public string Audience { get; set; } = "realtime-aspire";
}
