using RealtimeAspire.Bench.ReferenceServer;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.AddBroadcastHub();
var app = builder.Build();
// Connect to Redis before listening, so /health means ready.
app.Services.GetRequiredService<BroadcastHub>();
app.UseWebSockets();
app.MapGet("/health", () => "ok");
app.Map("/ws", (HttpContext context, BroadcastHub hub) => hub.AcceptAsync(context));
app.Run();
