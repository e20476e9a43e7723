using RealtimeAspire.Integrations;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("messages");
builder.AddKafkaClient("kafka");

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
