using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RealtimeAspire.AppHost.LocalInfrastructure;

public static class LocalRedisExtensions
{
    /// <summary>
    /// A Redis-protocol server: <c>redis-server</c> on the search path, else Garnet (restored from the repository's
    /// tool manifest on first use); Aspire's Redis container in a publish; <c>ConnectionStrings:{name}</c> when configured.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddLocalRedis(this IDistributedApplicationBuilder builder, string name, DevelopmentSecrets secrets)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return builder.AddRedis(name, password: secrets.Parameter($"{name}-password"));
        }
        if (builder.Configuration.GetConnectionString(name) is not null)
        {
            return builder.AddConnectionString(name);
        }

        var options = LocalInfrastructureOptions.From(builder);
        var redisServer = ExecutableLocator.Find("redis-server", options.ToolSearchDirectories);
        var password = secrets.Parameter($"{name}-password");
        var redis = new LocalRedisResource(name, redisServer ?? "dotnet", redisServer is null ? LocalRedisResource.Garnet : LocalRedisResource.RedisServer, password.Resource);
        var port = redis.Endpoint.Property(EndpointProperty.TargetPort);

        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(healthCheck,
            _ => new RespPingHealthCheck(redis), HealthStatus.Unhealthy, tags: null, timeout: TimeSpan.FromSeconds(3)));

        return builder.AddResource(redis)
            .WithLocalTcpEndpoint(LocalRedisResource.EndpointName)
            .WithArgs(async context =>
            {
                if (redisServer is not null)
                {
                    context.Args.Add("--port");
                    context.Args.Add(port);
                    context.Args.Add("--bind");
                    context.Args.Add("127.0.0.1");
                    context.Args.Add("--requirepass");
                    context.Args.Add(password.Resource);
                    context.Args.Add("--save");
                    context.Args.Add("");
                    context.Args.Add("--appendonly");
                    context.Args.Add("no");
                }
                else
                {
                    // GarnetServer.dll directly: `dotnet tool run` would put a second process between DCP and the server.
                    context.Args.Add(await GarnetTool.LocateOrRestoreAsync(LocalInfrastructureOptions.RepositoryRoot, context.CancellationToken));
                    foreach (var argument in new object[] { "--port", port, "--bind", "127.0.0.1", "--lua", "--auth", "Password", "--password", password.Resource })
                    {
                        context.Args.Add(argument);
                    }
                }
            })
            .WithHealthCheck(healthCheck);
    }

    /// <summary>A development action in the dashboard: FLUSHALL on the local server (never on a configured one).</summary>
    public static IResourceBuilder<IResourceWithConnectionString> WithFlushCommand(this IResourceBuilder<IResourceWithConnectionString> builder)
    {
        if (builder.Resource is not LocalRedisResource redis)
        {
            return builder;
        }
        builder.ApplicationBuilder.CreateResourceBuilder(redis).WithCommand("flush", "Flush (FLUSHALL)", async context =>
        {
            var (host, port, password) = RespProbe.Parse((await redis.ConnectionStringExpression.GetValueAsync(context.CancellationToken))!);
            var reply = await RespProbe.SendAsync(host, port, password, ["FLUSHALL"], context.CancellationToken);
            return reply == "+OK" ? CommandResults.Success() : CommandResults.Failure($"FLUSHALL answered {reply}");
        }, new CommandOptions
        {
            Description = "Deletes every key: recent history, sequence counters, presence. The services recover the counters from PostgreSQL.",
            ConfirmationMessage = "Delete every key in this Redis?",
            IconName = "Delete",
        });
        return builder;
    }

}
