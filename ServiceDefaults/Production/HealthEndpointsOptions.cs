namespace RealtimeAspire.ServiceDefaults.Production;

/// <summary>
/// Section <c>HealthEndpoints</c>: whether <c>/health</c> and <c>/alive</c> are served. Aspire's template maps them in
/// Development only, because a readiness report names a service's dependencies; Container Apps' probes need them in
/// Production, so there they are served when <c>HealthEndpoints:Enabled</c> is true (the AppHost sets it on every
/// service it publishes).
/// </summary>
public sealed class HealthEndpointsOptions
{
    public const string SectionName = "HealthEndpoints";

    /// <summary>Unset: served in Development only.</summary>
    public bool? Enabled { get; set; }
}
