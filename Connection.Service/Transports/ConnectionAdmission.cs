using Microsoft.Extensions.Options;
using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.ConnectionService.Diagnostics;
using RealtimeAspire.ConnectionService.Drain;
using RealtimeAspire.ConnectionService.Protocol;
using RealtimeAspire.ConnectionService.Subscriptions;

namespace RealtimeAspire.ConnectionService.Transports;

/// <summary>
/// Lets a connection in and out: the checks before any connection is admitted (browser origin, drain, per-user
/// limit) and, when it ends, the release of its subscriptions and its place in the registry.
/// </summary>
public sealed class ConnectionAdmission(
    OriginPolicy origins,
    DrainCoordinator drain,
    ConnectionRegistry registry,
    ChannelSubscriber subscriber,
    ConnectionMetrics metrics,
    IOptions<ConnectionLimitsOptions> limits,
    ILoggerFactory loggers)
{
    /// <summary>The <c>Retry-After</c> of a refusal for <see cref="ErrorCodes.TooManyConnections"/>.</summary>
    public const string TooManyConnectionsRetryAfterSeconds = "5";

    private readonly ILogger _logger = loggers.CreateLogger("RealtimeAspire.ConnectionService.Connections");

    /// <summary>
    /// On refusal the response is written (ProblemDetails) and false returned; on success the connection is registered.
    /// </summary>
    public async Task<bool> TryAdmitAsync(HttpContext context, RealtimeConnection connection)
    {
        switch (Decide(context.Request, connection))
        {
            case Refusal.None:
                Opened(connection, AcceptPaths.HttpPipeline);
                return true;
            case Refusal.Origin:
                metrics.FrameRefused(ErrorCodes.OriginNotAllowed);
                await HttpRefusals.Problem(OriginRefusal.Code, OriginRefusal.Detail(context.Request.Headers.Origin.ToString()), StatusCodes.Status403Forbidden)
                    .ExecuteAsync(context);
                return false;
            case Refusal.Draining:
                context.Response.Headers.RetryAfter = "1";
                await HttpRefusals.Problem(ErrorCodes.Draining, "This replica is draining; connect again.", HttpRefusals.StatusFor(ErrorCodes.Draining)).ExecuteAsync(context);
                return false;
            default: // Refusal.TooManyConnections
                var max = limits.Value.MaxConnectionsPerUser;
                metrics.FrameRefused(ErrorCodes.TooManyConnections);
                _logger.TooManyConnections(connection.User.Id, connection.Transport, max);
                // A slot frees only when one of the user's own connections ends: a hint, not a promise.
                context.Response.Headers.RetryAfter = TooManyConnectionsRetryAfterSeconds;
                await HttpRefusals.Problem(ErrorCodes.TooManyConnections,
                        $"A user may hold {max} connections per replica (Connections:Limits:MaxConnectionsPerUser); close one or retry later.",
                        HttpRefusals.StatusFor(ErrorCodes.TooManyConnections))
                    .ExecuteAsync(context);
                return false;
        }
    }

    /// <summary>
    /// The same decision for <see cref="WebSockets.WebSocketConnectionAccept"/>, without a response: on refusal nothing
    /// is written, counted or registered, and the request goes on to the HTTP pipeline, whose
    /// <see cref="TryAdmitAsync"/> decides again and writes the refusal. On success the connection is registered.
    /// </summary>
    public bool TryAdmitWithoutResponse(HttpRequest request, RealtimeConnection connection)
    {
        if (Decide(request, connection) != Refusal.None)
        {
            return false;
        }
        Opened(connection, AcceptPaths.ConnectionMiddleware);
        return true;
    }

    /// <summary>The one admission decision of both paths, in order; the connection is registered only when it is admitted.</summary>
    private Refusal Decide(HttpRequest request, RealtimeConnection connection) =>
        !origins.IsAllowed(request) ? Refusal.Origin
        : drain.IsDraining ? Refusal.Draining
        : !registry.TryAdd(connection) ? Refusal.TooManyConnections
        : Refusal.None;

    private void Opened(RealtimeConnection connection, string acceptPath)
    {
        metrics.ConnectionOpened(connection.Transport, acceptPath);
        _logger.Opened(connection.Id, connection.User.Id, connection.Transport, acceptPath);
    }

    /// <summary>Undoes <see cref="TryAdmitAsync"/> and <see cref="TryAdmitWithoutResponse"/>: subscriptions released, registry and metrics updated.</summary>
    public async Task ReleaseAsync(RealtimeConnection connection)
    {
        await subscriber.UnsubscribeAllAsync(connection);
        registry.Remove(connection);
        metrics.ConnectionClosed(connection.Transport);
        _logger.Closed(connection.Id);
    }

    private enum Refusal
    {
        None,
        Origin,
        Draining,
        TooManyConnections,
    }
}
