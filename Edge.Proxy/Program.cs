using RealtimeAspire.EdgeProxy.Health;
using RealtimeAspire.EdgeProxy.Routing;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddEdgeRouting();
builder.AddEdgeHealth();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapReverseProxy();
app.Run();
