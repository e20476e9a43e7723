using RealtimeAspire.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

var postgres = builder.AddPostgres("postgres");
var messages = postgres.AddDatabase("messages");
// Redis and Presence.Service answer every replica and every presence query: on a machine the services share, they
// are served first, as a cluster would reserve CPU for them (docs/apphost.md, "CPU priority").
var redis = builder.AddRedis("redis").WithNiceness(ResourceBuilderExtensions.ControlPlaneNiceness);
var kafka = builder.AddKafka("kafka");
// Development signing key for connection tokens, generated at first run into the git-ignored data folder.
var signingKey = builder.Secrets.Get("auth-signing-key", bytes: 32);

var messageService = builder.AddProject<Projects.Message_Service>("message-service")
    .WithEnvironment("Auth__SigningKey", signingKey)
    .WithReference(messages).WaitFor(messages)
    .WithReference(kafka).WaitFor(kafka)
    .WithReference(redis).WaitFor(redis);

var presenceService = builder.AddProject<Projects.Presence_Service>("presence-service")
    .WithNiceness(ResourceBuilderExtensions.ControlPlaneNiceness)
    .WithEnvironment("Auth__SigningKey", signingKey)
    .WithReference(redis).WaitFor(redis);

var connectionService = builder.AddProject<Projects.Connection_Service>("connection-service")
    .WithReplicas(3)
    .WithEnvironment("Auth__SigningKey", signingKey)
    .WithReference(redis).WaitFor(redis)
    .WithReference(kafka).WaitFor(kafka)
    .WithReference(messageService)
    .WithReference(presenceService);

builder.AddProject<Projects.Edge_Proxy>("edge")
    .WithHttpEndpoint(port: builder.Configuration.GetValue("Edge:Port", 5000))
    // Signs affinity keys, so clients stay stuck to their replica across an edge restart.
    .WithEnvironment("Edge__Affinity__Secret", builder.Secrets.Get("edge-affinity-secret", bytes: 32))
    .WithReference(connectionService).WaitFor(connectionService)
    .WithReference(messageService)
    .WithReference(presenceService);

builder.Build().Run();
