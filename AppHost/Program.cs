using RealtimeAspire.AppHost.LocalInfrastructure;
using RealtimeAspire.AppHost.Topology;

var builder = DistributedApplication.CreateBuilder(args);
var secrets = builder.AddDevelopmentSecrets();
builder.AddResourceInventoryFile();

// Infrastructure: local processes in a run, Aspire's containers in a publish, a connection string when configured.
var messages = builder.AddLocalPostgres("postgres", secrets).AddDatabase("messages");
var redis = builder.AddLocalRedis("redis", secrets).WithNiceness(ResourceNiceness.ControlPlane).WithFlushCommand();
var kafka = builder.AddKafkaDevBroker("kafka");
var signingKey = secrets.Parameter("auth-signing-key");

var messageService = builder.AddServiceProject<Projects.Message_Service>("message-service")
    .WithEnvironment("Auth__SigningKey", signingKey)
    .WithReference(messages).WaitFor(messages)
    .WithReference(kafka).WaitFor(kafka)
    .WithReference(redis).WaitFor(redis)
    .WithRestartOnFailure();

// Presence.Service answers every replica and every presence query: on a shared machine it is served first, as a
// cluster would reserve CPU for it (docs/apphost.md, "CPU priority").
var presenceService = builder.AddServiceProject<Projects.Presence_Service>("presence-service")
    .WithNiceness(ResourceNiceness.ControlPlane)
    .WithEnvironment("Auth__SigningKey", signingKey)
    .WithReference(redis).WaitFor(redis)
    .WithRestartOnFailure();

// One resource per replica, each on its own port with no proxy in front: the edge sticks every client to one of them.
var replicas = builder.AddReplicas<Projects.Connection_Service>("connection-service", builder.Configuration.GetValue("Realtime:Replicas", 3),
    replica => replica
        .WithEnvironment("Auth__SigningKey", signingKey)
        // The drain must end inside the wait of Aspire's stop command (docs/apphost.md, "Graceful stop").
        .WithLocalDrainWindow()
        .WithReference(redis).WaitFor(redis)
        .WithReference(kafka).WaitFor(kafka)
        .WithReference(messageService)
        .WithReference(presenceService)
        .WithDrainCommand()
        .WithRestartOnFailure());

// 0 picks a free port (tests).
var edgePort = builder.Configuration.GetValue("Edge:Port", 5000);
var edge = builder.AddServiceProject<Projects.Edge_Proxy>("edge", port: edgePort == 0 ? null : edgePort)
    // The first thing a new user opens: the demo page the edge serves at /.
    .WithUrlForEndpoint("http", url => url.DisplayText = "Demo (edge)")
    // The one public entry point: a deployment gives the edge external ingress, every other service internal only.
    .WithExternalHttpEndpoints()
    // Signs affinity keys, so clients stay stuck to their replica across an edge restart.
    .WithEnvironment("Edge__Affinity__Secret", secrets.Parameter("edge-affinity-secret"))
    // A forwarded frame is read and written on the socket's event thread, as nginx does, instead of a thread-pool
    // hop per read: 1.36x nginx's CPU per frame instead of 1.60x (docs/edge.md, "Per-frame cost"). The runtime
    // reads it only from the environment, so it is set where the edge is started.
    .WithEnvironment("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1")
    .WithReplicaReferences(replicas)
    // The edge stays ready without them (history and presence queries are then refused, docs/edge.md "Health and
    // drain"), so it waits for them here: a started system answers those queries from its first request.
    .WithReference(messageService).WaitFor(messageService)
    .WithReference(presenceService).WaitFor(presenceService)
    .WithRestartOnFailure();

// The demo page's live feed: simulated prices (durable) and ticks (ephemeral), published through the edge.
builder.AddServiceProject<Projects.Demo_FeedPublisher>("feed-publisher")
    .WithEnvironment("Auth__SigningKey", signingKey)
    .WithReference(edge).WaitFor(edge)
    .WithRestartOnFailure();

builder.Build().Run();
