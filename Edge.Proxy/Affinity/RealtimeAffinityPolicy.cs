using Microsoft.Extensions.Options;
using RealtimeAspire.EdgeProxy.Telemetry;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.SessionAffinity;

namespace RealtimeAspire.EdgeProxy.Affinity;

/// <summary>
/// YARP session affinity for every kind of client: the key is read from the <c>X-Realtime-Affinity</c> header
/// (apps, services), else the <c>affinity</c> query parameter (EventSource cannot set headers), else the cookie
/// (browsers). Every proxied response returns the key in <c>X-Realtime-Affinity</c>; the cookie is (re)set when
/// the browser does not already hold that key. A key whose replica is not among the available (healthy)
/// destinations is redistributed by the cluster's failure policy and the response carries the new key.
/// </summary>
public sealed class RealtimeAffinityPolicy(AffinityKeyProtector protector, IOptions<EdgeAffinityOptions> options, EdgeMetrics metrics) : ISessionAffinityPolicy
{
    public string Name => AffinityConventions.PolicyName;

    public AffinityResult FindAffinitizedDestinations(HttpContext context, ClusterState cluster, SessionAffinityConfig config, IReadOnlyList<DestinationState> destinations)
    {
        var decision = new AffinityDecision { RequestKey = RequestKey(context, options.Value.CookieName) };
        context.Features.Set(decision);

        if (decision.RequestKey is null)
        {
            decision.Outcome = AffinityOutcome.New;
            metrics.Affinity(cluster.ClusterId, decision.Outcome);
            return new AffinityResult(null, AffinityStatus.AffinityKeyNotSet);
        }

        decision.Outcome = AffinityOutcome.Redistributed;
        if (!AffinityKeyProtector.IsWellFormed(decision.RequestKey))
        {
            metrics.Affinity(cluster.ClusterId, decision.Outcome);
            return new AffinityResult(null, AffinityStatus.AffinityKeyExtractionFailed);
        }
        for (var i = 0; i < destinations.Count; i++)
        {
            if (string.Equals(protector.Protect(cluster.ClusterId, destinations[i].DestinationId), decision.RequestKey, StringComparison.Ordinal))
            {
                decision.Outcome = AffinityOutcome.Hit;
                metrics.Affinity(cluster.ClusterId, decision.Outcome);
                return new AffinityResult(destinations[i], AffinityStatus.OK);
            }
        }
        metrics.Affinity(cluster.ClusterId, decision.Outcome);
        return new AffinityResult(null, AffinityStatus.DestinationNotFound);
    }

    public void AffinitizeResponse(HttpContext context, ClusterState cluster, SessionAffinityConfig config, DestinationState destination)
    {
        var key = protector.Protect(cluster.ClusterId, destination.DestinationId);
        context.Response.Headers[AffinityConventions.ClientHeader] = key;

        var cookieName = options.Value.CookieName;
        if (context.Request.Cookies[cookieName] != key)
        {
            context.Response.Cookies.Append(cookieName, key, CookieOptions(context, config.Cookie));
        }
    }

    /// <summary>The key the client sent, by precedence: header, query parameter, cookie; null when none.</summary>
    public static string? RequestKey(HttpContext context, string cookieName)
    {
        var request = context.Request;
        if (request.Headers[AffinityConventions.ClientHeader] is [{ Length: > 0 } header, ..])
        {
            return header;
        }
        if (request.Query[AffinityConventions.QueryParameter] is [{ Length: > 0 } query, ..])
        {
            return query;
        }
        return request.Cookies[cookieName] is { Length: > 0 } cookie ? cookie : null;
    }

    private static CookieOptions CookieOptions(HttpContext context, SessionAffinityCookieConfig? config) => new()
    {
        Path = config?.Path ?? "/",
        Domain = config?.Domain,
        HttpOnly = config?.HttpOnly ?? true,
        IsEssential = config?.IsEssential ?? true,
        SameSite = config?.SameSite ?? SameSiteMode.Lax,
        Secure = (config?.SecurePolicy ?? CookieSecurePolicy.SameAsRequest) switch
        {
            CookieSecurePolicy.Always => true,
            CookieSecurePolicy.None => false,
            _ => context.Request.IsHttps,
        },
        MaxAge = config?.MaxAge,
        Expires = config?.Expiration is { } expiration ? DateTimeOffset.UtcNow + expiration : null,
    };
}
