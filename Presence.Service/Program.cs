using RealtimeAspire.Integrations;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddRedisClient("redis");

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
