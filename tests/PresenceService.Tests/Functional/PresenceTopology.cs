using Aspire.Hosting;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RealtimeAspire.AppHost.LocalInfrastructure;
using RealtimeAspire.AppHost.Topology;
using RealtimeAspire.Testing;

namespace RealtimeAspire.PresenceService.Tests.Functional;

/// <summary>
/// Real Redis, a Kafka-protocol broker, Presence.Service and Connection.Service replicas reporting to it, with short
/// leases so that expiry is observable in a test: replica TTL 5 s, heartbeat every second, full refresh every 5 s,
/// long-poll grace 2 s.
/// </summary>
public abstract class PresenceTopology(int replicas) : IAsyncLifetime
{
    public const string PresenceService = "presence-service";
    public static readonly TimeSpan ReplicaTtl = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan LongPollGrace = TimeSpan.FromSeconds(2);
    public static readonly string SigningKey = Convert.ToHexString(Guid.NewGuid().ToByteArray()) + Convert.ToHexString(Guid.NewGuid().ToByteArray());

    private static readonly JsonWebTokenHandler s_tokens = new();

    public TestTopology Topology { get; private set; } = null!;

    public int Replicas => replicas;

    public Uri Replica(int i) => Topology.Endpoint($"connection-service-{i}");

    public Uri Presence => Topology.Endpoint(PresenceService);

    /// <summary>A token as Connection.Service's development endpoint would issue it, signed here (thousands are needed).</summary>
    public static string Token(string user, string? name = null, string[]? subscribe = null, string[]? publish = null)
    {
        var claims = new List<Claim> { new("sub", user), new("name", name ?? user) };
        claims.AddRange((subscribe ?? ["*"]).Select(p => new Claim("sub_ch", p)));
        claims.AddRange((publish ?? ["*"]).Select(p => new Claim("pub_ch", p)));
        var now = DateTime.UtcNow;
        return s_tokens.CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = "realtime-aspire",
            Audience = "realtime-aspire",
            IssuedAt = now,
            NotBefore = now.AddMinutes(-1),
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SigningKey)), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>What the test host is started with: a topology on a Redis of its own unless a subclass says otherwise.</summary>
    protected virtual TestTopologyOptions Options => new();

    public virtual async Task InitializeAsync()
    {
        Topology = await TestTopology.StartAsync(Options, (builder, secrets) =>
        {
            // CPU priorities as in the AppHost: the storm tests measure the presence API on a machine the storm saturates.
            var redis = builder.AddLocalRedis("redis", secrets).WithNiceness(ResourceNiceness.ControlPlane);
            var kafka = builder.AddKafkaDevBroker("kafka");
            var presence = builder.AddServiceProject<Projects.Presence_Service>(PresenceService)
                .WithNiceness(ResourceNiceness.ControlPlane)
                .WithEnvironment("Auth__SigningKey", SigningKey)
                .WithEnvironment("Presence__ReplicaTtl", ReplicaTtl.ToString())
                .WithEnvironment("Presence__EventWindow", "00:00:00.150")
                .WithEnvironment("Presence__ExpiryScanInterval", "00:00:00.250")
                .WithReference(redis).WaitFor(redis);
            builder.AddReplicas<Projects.Connection_Service>("connection-service", replicas, replica => replica
                .WithEnvironment("Auth__SigningKey", SigningKey)
                .WithEnvironment("Presence__HeartbeatInterval", "00:00:01")
                .WithEnvironment("Presence__RefreshInterval", "00:00:05")
                .WithEnvironment("Presence__LongPollGrace", LongPollGrace.ToString())
                .WithEnvironment("Transports__PollTimeout", "00:00:03")
                .WithEnvironment("Connections__Limits__MaxConnectionsPerUser", "50")
                .WithReference(redis).WaitFor(redis)
                .WithReference(kafka).WaitFor(kafka)
                .WithReference(presence).WaitFor(presence)
                .WithRestartOnFailure());
        }, CancellationToken.None);
        await Topology.WaitForAllHealthyAsync(TimeSpan.FromSeconds(180));
    }

    public virtual async Task DisposeAsync() => await Topology.DisposeAsync();
}

/// <summary>Three replicas, shared by the tests that leave them running.</summary>
public sealed class ClusterPresenceTopology() : PresenceTopology(3);

/// <summary>Two replicas, one of which a test kills.</summary>
public sealed class CrashPresenceTopology() : PresenceTopology(2);

[CollectionDefinition(nameof(PresenceCluster))]
public sealed class PresenceCluster : ICollectionFixture<ClusterPresenceTopology>;

[CollectionDefinition(nameof(PresenceCrash))]
public sealed class PresenceCrash : ICollectionFixture<CrashPresenceTopology>;
