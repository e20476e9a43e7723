using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace RealtimeAspire.ConnectionService.Transports.WebSockets;

/// <summary>
/// What a WebSocket's request no longer needs once it is upgraded, let go so an idle socket does not keep it for
/// hours: the request's span (ended here, not when the socket closes), its headers and its query string — which
/// carries the token (<c>access_token</c>), also kept out of the request-finished log that way.
/// </summary>
internal static class UpgradedRequest
{
    /// <summary>Call after the upgrade, once nothing reads the request any more, before the socket's loops start.</summary>
    public static void Release(HttpContext context, string connectionId, PathString route)
    {
        EndActivity(context, connectionId, route);
        context.Request.Headers.Clear();
        if (context.Features.Get<IHttpRequestFeature>() is { } request)
        {
            request.QueryString = "";
            request.RawTarget = route.Value ?? "";
        }
        // The parsed query (token included) is cached by this feature; the next reader gets a fresh, empty one.
        context.Features.Set<IQueryFeature>(null);
    }

    /// <summary>
    /// The span ends at the upgrade, tagged with the connection id: a trace per connect, and what the connection does
    /// later (a publish) starts its own trace instead of hanging under a span that stays open for the socket's life.
    /// The loops start after this, so they do not carry it as their parent; Redis's tracing also drops the
    /// profiling session it keeps per open span.
    /// </summary>
    private static void EndActivity(HttpContext context, string connectionId, PathString route)
    {
        if (context.Features.Get<IHttpActivityFeature>()?.Activity is { } activity && activity == Activity.Current)
        {
            // No endpoint was routed (the WebSocket branch runs before the endpoint): name the span as the route would.
            activity.DisplayName = $"{context.Request.Method} {route}";
            activity.SetTag("http.route", route.Value);
            activity.SetTag("realtime.connection.id", connectionId);
            activity.SetTag("http.response.status_code", StatusCodes.Status101SwitchingProtocols);
            activity.SetTag("realtime.accept.path", Diagnostics.AcceptPaths.HttpPipeline);
            activity.Stop();
        }
    }
}
