using RealtimeAspire.Integrations;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddRedisClient("redis");
builder.AddKafkaClient("kafka");

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGet("/connect/info", (ReplicaIdentity replica) => TypedResults.Ok(new { service = replica.Service, replica = replica.Name }));
app.Run();
