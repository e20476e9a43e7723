using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RealtimeAspire.AppHost.LocalInfrastructure;

/// <summary>PING over a bare socket: works the same against redis-server, Garnet and any compatible server.</summary>
internal sealed class RespPingHealthCheck(LocalRedisResource redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var (host, port, password) = RespProbe.Parse((await redis.ConnectionStringExpression.GetValueAsync(cancellationToken))!);
            return await RespProbe.PingAsync(host, port, password, cancellationToken)
                ? HealthCheckResult.Healthy($"{redis.Server} answers PING")
                : HealthCheckResult.Unhealthy($"{redis.Server} did not answer PING with PONG");
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException)
        {
            return HealthCheckResult.Unhealthy(ex.Message, ex);
        }
    }
}
