using RealtimeAspire.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

var postgres = builder.AddPostgres("postgres");
var messages = postgres.AddDatabase("messages");
var redis = builder.AddRedis("redis");
var kafka = builder.AddKafka("kafka");

var messageService = builder.AddProject<Projects.Message_Service>("message-service")
    .WithReference(messages).WaitFor(messages)
    .WithReference(kafka).WaitFor(kafka);

var presenceService = builder.AddProject<Projects.Presence_Service>("presence-service")
    .WithReference(redis).WaitFor(redis);

var connectionService = builder.AddProject<Projects.Connection_Service>("connection-service")
    .WithReplicas(3)
    .WithReference(redis).WaitFor(redis)
    .WithReference(kafka).WaitFor(kafka)
    .WithReference(messageService)
    .WithReference(presenceService);

builder.AddProject<Projects.Edge_Proxy>("edge")
    .WithHttpEndpoint(port: builder.Configuration.GetValue("Edge:Port", 5000))
    .WithReference(connectionService).WaitFor(connectionService)
    .WithReference(messageService)
    .WithReference(presenceService);

builder.Build().Run();
