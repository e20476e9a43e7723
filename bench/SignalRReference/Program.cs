using Microsoft.AspNetCore.Http.Connections;
using RealtimeAspire.Bench.SignalRReference;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddSignalR(hub =>
    {
        // Idle benchmark subscribers send nothing: SignalR's 30 s client timeout would close them mid-run.
        hub.ClientTimeoutInterval = TimeSpan.FromMinutes(30);
        hub.KeepAliveInterval = TimeSpan.FromSeconds(15);
    })
    .AddStackExchangeRedis(builder.Configuration["Redis"] ?? throw new InvalidOperationException("--Redis=<connection string> is required."));
var app = builder.Build();
app.MapGet("/health", () => "ok");
app.MapHub<BroadcastHub>("/hub", connection => connection.Transports = HttpTransportType.WebSockets);
app.Run();
