using System.ComponentModel.DataAnnotations;

namespace RealtimeAspire.EdgeProxy.Affinity;

/// <summary>Sticky routing settings: <c>Edge:Affinity</c>.</summary>
public sealed class EdgeAffinityOptions : IValidatableObject
{
    public const string SectionName = "Edge:Affinity";

    /// <summary>Shortest secret accepted: 32 characters of a random value (its UTF-8 bytes key the HMAC).</summary>
    public const int MinimumSecretBytes = 32;

    /// <summary>
    /// Secret that signs affinity keys: at least 32 characters of a random value (e.g. <c>openssl rand -base64 32</c>).
    /// Every edge instance must share it so a key minted by one routes on another, and keys survive an edge
    /// restart. Unset: a random per-process secret (keys then last as long as the edge process).
    /// </summary>
    public string? Secret { get; set; }

    [Required]
    [RegularExpression("^[A-Za-z0-9_.-]{1,64}$", ErrorMessage = "Edge:Affinity:CookieName must be 1-64 characters of A-Z a-z 0-9 _ . -")]
    public string CookieName { get; set; } = AffinityConventions.DefaultCookieName;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Secret is null)
        {
            yield break;
        }
        if (System.Text.Encoding.UTF8.GetByteCount(Secret) < MinimumSecretBytes)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(Secret)} must be at least {MinimumSecretBytes} characters of a random value (e.g. `openssl rand -base64 32`).",
                [nameof(Secret)]);
        }
    }

    /// <summary>The configured secret, or a fresh random one when none is configured.</summary>
    public byte[] SecretBytes() => Secret is null
        ? System.Security.Cryptography.RandomNumberGenerator.GetBytes(MinimumSecretBytes)
        : System.Text.Encoding.UTF8.GetBytes(Secret);
}
