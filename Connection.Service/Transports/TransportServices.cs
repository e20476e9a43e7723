using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.ConnectionService.Channels;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.ConnectionService.Diagnostics;
using RealtimeAspire.ConnectionService.Drain;
using RealtimeAspire.ConnectionService.Publishing;
using RealtimeAspire.ConnectionService.Subscriptions;

namespace RealtimeAspire.ConnectionService.Transports;

/// <summary>What every transport endpoint needs, in one injectable bundle.</summary>
public sealed class TransportServices(
    ChannelGate gate,
    ChannelSubscriber subscriber,
    MessagePublisher publisher,
    ConnectionRegistry registry,
    DrainCoordinator drain,
    OriginPolicy origins,
    ConnectionMetrics metrics,
    ReplicaIdentity replica,
    IOptions<ConnectionLimitsOptions> limits,
    IOptions<TransportOptions> transport,
    TimeProvider time,
    ILoggerFactory loggers)
{
    public const string ReplicaHeader = "X-Realtime-Replica";
    public const string ConnectionHeader = "X-Realtime-Connection";
    public const string EdgeAffinityHeader = "X-Edge-Affinity";

    public ChannelGate Gate { get; } = gate;
    public ChannelSubscriber Subscriber { get; } = subscriber;
    public MessagePublisher Publisher { get; } = publisher;
    public ConnectionRegistry Registry { get; } = registry;
    public DrainCoordinator Drain { get; } = drain;
    public OriginPolicy Origins { get; } = origins;
    public ConnectionMetrics Metrics { get; } = metrics;
    public ReplicaIdentity Replica { get; } = replica;
    public ConnectionLimitsOptions Limits { get; } = limits.Value;
    public TransportOptions Transport { get; } = transport.Value;
    public TimeProvider Time { get; } = time;
    public ILogger Logger { get; } = loggers.CreateLogger("RealtimeAspire.ConnectionService.Connections");

    /// <summary>An HTTP API's refusal: counted as a refused frame, answered as ProblemDetails with the code's status.</summary>
    public ProblemHttpResult Refuse(string code, string message)
    {
        Metrics.FrameRefused(code);
        return (ProblemHttpResult)ChannelListAdmission.Problem(code, message, ChannelListAdmission.StatusFor(code));
    }

    /// <summary>
    /// The checks before any connection is admitted: browser origin, drain, per-user limit. On refusal the
    /// response is written (ProblemDetails) and null returned; on success the connection is registered.
    /// </summary>
    public async Task<bool> TryAdmitAsync(HttpContext context, RealtimeConnection connection)
    {
        if (!Origins.IsAllowed(context.Request))
        {
            Metrics.FrameRefused(Protocol.ErrorCodes.OriginNotAllowed);
            await Results.Problem(OriginRefusal.Detail(context.Request.Headers.Origin.ToString()), statusCode: StatusCodes.Status403Forbidden,
                title: OriginRefusal.Code, type: $"https://realtime-aspire.dev/errors/{OriginRefusal.Code}").ExecuteAsync(context);
            return false;
        }
        if (Drain.IsDraining)
        {
            context.Response.Headers.RetryAfter = "1";
            await Results.Problem("This replica is draining; connect again.", statusCode: StatusCodes.Status503ServiceUnavailable, title: Protocol.ErrorCodes.Draining).ExecuteAsync(context);
            return false;
        }
        if (!Registry.TryAdd(connection))
        {
            context.Response.Headers.RetryAfter = "5";
            await Results.Problem($"A user may hold {Limits.MaxConnectionsPerUser} connections per replica.", statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context);
            return false;
        }
        Metrics.ConnectionOpened(connection.Transport);
        Logger.Opened(connection.Id, connection.User.Id, connection.Transport);
        return true;
    }

    /// <summary>Undoes <see cref="TryAdmitAsync"/>: subscriptions released, registry and metrics updated.</summary>
    public async Task ReleaseAsync(RealtimeConnection connection)
    {
        await Subscriber.UnsubscribeAllAsync(connection);
        Registry.Remove(connection);
        Metrics.ConnectionClosed(connection.Transport);
        Logger.Closed(connection.Id);
    }
}
