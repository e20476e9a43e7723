using System.Security.Claims;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RealtimeAspire.AppHost.LocalInfrastructure;
using RealtimeAspire.AppHost.Topology;
using RealtimeAspire.Testing;

namespace RealtimeAspire.Reliability.Tests.Hostile;

/// <summary>
/// Real Redis, a real Kafka-protocol broker, one Connection.Service replica and the real edge in front of it, with
/// settings that let hostile clients meet each limit within seconds: keep-alive every second, a 1 s long-poll hold,
/// the edge's slowloris timeouts at their minimum. Tokens are signed here with the replica's key, so expired, forged and
/// otherwise broken ones can be made too.
/// </summary>
public sealed class HostileTopology : IAsyncLifetime
{
    public const string ReplicaName = "connection-service-0";
    public const string AllowedOrigin = "https://app.example";
    public const int MaxFrameBytes = 65536;
    public const int MaxQueuedFrames = 64;
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan EdgeHeadersTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan EdgeBodyGracePeriod = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(240);
    public static readonly string SigningKey = Convert.ToHexString(Guid.NewGuid().ToByteArray()) + Convert.ToHexString(Guid.NewGuid().ToByteArray());

    private static readonly JsonWebTokenHandler s_tokens = new();

    public TestTopology Topology { get; private set; } = null!;

    public Uri Replica => Topology.Endpoint(ReplicaName);

    public Uri Edge => Topology.Endpoint("edge");

    /// <summary>The replica's serving process (its RSS is what the memory bound is about).</summary>
    public int ReplicaPid => Topology.Instance(ReplicaName).ProcessId ?? throw new InvalidOperationException("The replica has no process.");

    /// <summary>A token as the development endpoint issues it; the parameters make the broken ones.</summary>
    public static string Token(string user, DateTime? expires = null, string? signingKey = null, string issuer = "realtime-aspire")
    {
        var now = DateTime.UtcNow;
        var expiry = expires ?? now.AddHours(1);
        return s_tokens.CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", user), new Claim("name", user), new Claim("sub_ch", "*"), new Claim("pub_ch", "*")]),
            Issuer = issuer,
            Audience = "realtime-aspire",
            IssuedAt = expiry < now ? expiry.AddHours(-1) : now,
            NotBefore = expiry < now ? expiry.AddHours(-1) : now.AddMinutes(-1),
            Expires = expiry,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey ?? SigningKey)), SecurityAlgorithms.HmacSha256),
        });
    }

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        Topology = await TestTopology.StartAsync(new TestTopologyOptions(), (builder, secrets) =>
        {
            var redis = builder.AddLocalRedis("redis", secrets);
            var kafka = builder.AddKafkaDevBroker("kafka");
            var replicas = builder.AddReplicas<Projects.Connection_Service>("connection-service", 1, replica =>
            {
                replica
                    .WithEnvironment("Auth__SigningKey", SigningKey)
                    .WithReference(redis).WaitFor(redis)
                    .WithReference(kafka).WaitFor(kafka);
                foreach (var (key, value) in ReplicaSettings)
                {
                    replica.WithEnvironment(key, value);
                }
            });
            var edge = builder.AddServiceProject<Projects.Edge_Proxy>("edge").WithReplicaReferences(replicas);
            foreach (var (key, value) in EdgeSettings)
            {
                edge.WithEnvironment(key, value);
            }
        }, cts.Token);
        await Topology.WaitForResourceHealthyAsync(ReplicaName, StartTimeout);
        await Topology.WaitForStateAsync("edge", KnownResourceStates.Running, StartTimeout);
        using var http = new HttpClient { BaseAddress = Edge, Timeout = TimeSpan.FromSeconds(10) };
        // The edge routes once its active health check has seen the replica; until then it answers 503.
        await BoundedWait.UntilAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/info");
            request.Headers.Authorization = new("Bearer", Token("fixture"));
            using var response = await http.SendAsync(request);
            return response.IsSuccessStatusCode;
        }, StartTimeout, "the edge to route to the replica", describe: () => Task.FromResult(Topology.Describe("edge")));
    }

    private static readonly Dictionary<string, string> ReplicaSettings = new()
    {
        ["Connections__Limits__FramesPerSecond"] = "100000",
        ["Connections__Limits__FrameBurst"] = "100000",
        ["Connections__Limits__MaxFrameBytes"] = MaxFrameBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Connections__Limits__MaxQueuedFrames"] = MaxQueuedFrames.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Connections__Limits__MaxConnectionsPerUser"] = "500",
        ["Channels__Namespaces__chat__PublishRatePerSecond"] = "100000",
        ["Channels__Namespaces__chat__PublishBurst"] = "100000",
        ["Channels__Namespaces__feed__PublishRatePerSecond"] = "100000",
        ["Channels__Namespaces__feed__PublishBurst"] = "100000",
        ["Channels__Namespaces__live__PublishRatePerSecond"] = "100000",
        ["Channels__Namespaces__live__PublishBurst"] = "100000",
        ["Channels__Namespaces__user__PublishRatePerSecond"] = "100000",
        ["Channels__Namespaces__user__PublishBurst"] = "100000",
        ["Transports__KeepAliveInterval"] = "00:00:01",
        ["Transports__KeepAliveTimeout"] = "00:00:02",
        ["Transports__PollTimeout"] = "00:00:01",
        ["Transports__SseHeartbeatInterval"] = "00:00:01",
        ["Transports__SlowConsumerCloseTimeout"] = "00:00:05",
        ["Cors__AllowedOrigins__0"] = AllowedOrigin,
    };

    private static readonly Dictionary<string, string> EdgeSettings = new()
    {
        ["Edge__Limits__RequestHeadersTimeout"] = "00:00:02",
        ["Edge__Limits__MinRequestBodyGracePeriod"] = "00:00:02",
        ["Cors__AllowedOrigins__0"] = AllowedOrigin,
        // The fuzzers connect a few thousand times from one user and one address; the rate limits are tested elsewhere.
        ["Edge__RateLimiting__Enabled"] = "false",
    };

    public async Task DisposeAsync()
    {
        if (Topology is not null)
        {
            await Topology.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(90));
        }
    }
}

[CollectionDefinition(nameof(HostileCollection))]
public sealed class HostileCollection : ICollectionFixture<HostileTopology>;
