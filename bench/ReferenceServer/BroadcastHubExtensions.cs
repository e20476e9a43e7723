using StackExchange.Redis;

namespace RealtimeAspire.Bench.ReferenceServer;

internal static class BroadcastHubExtensions
{
    /// <summary>Connects to Redis (<c>--Redis</c> / <c>Redis</c> environment) and registers the hub.</summary>
    public static void AddBroadcastHub(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration["Redis"]
            ?? throw new InvalidOperationException("Set Redis (e.g. --Redis=127.0.0.1:6379,password=…).");
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(connectionString));
        builder.Services.AddSingleton<BroadcastHub>();
    }
}
