using System.ComponentModel.DataAnnotations;
using System.Net;

namespace RealtimeAspire.ConnectionService.Auth;

/// <summary>
/// Section <c>ForwardedHeaders</c>: which peers may tell a replica, in <c>X-Forwarded-Host</c> and
/// <c>X-Forwarded-Proto</c>, the host and scheme the client used (the edge sets both). Only those are believed:
/// a browser's same-origin check is judged on them. Loopback is always trusted (the edge on the same machine).
/// </summary>
public sealed class ForwardedHeadersSettings : IValidatableObject
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>CIDR networks of the edge instances besides loopback, e.g. <c>10.0.0.0/16</c> (Container Apps' environment subnet).</summary>
    public string[] TrustedNetworks { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < TrustedNetworks.Length; i++)
        {
            if (!IPNetwork.TryParse(TrustedNetworks[i], out _))
            {
                yield return new ValidationResult(
                    $"{SectionName}:{nameof(TrustedNetworks)}:{i} = '{TrustedNetworks[i]}' is not a network: use address/prefix, e.g. 10.0.0.0/16.",
                    [nameof(TrustedNetworks)]);
            }
        }
    }
}
