using RealtimeAspire.EdgeProxy.Cors;
using RealtimeAspire.EdgeProxy.Health;
using RealtimeAspire.EdgeProxy.Limits;
using RealtimeAspire.EdgeProxy.RateLimiting;
using RealtimeAspire.EdgeProxy.Routing;
using RealtimeAspire.EdgeProxy.StaticContent;
using RealtimeAspire.EdgeProxy.Telemetry;
using RealtimeAspire.EdgeProxy.Transport;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddEdgeTelemetry();
builder.AddEdgeTransport();
builder.AddEdgeLimits();
builder.AddEdgeCors();
builder.AddEdgeRateLimiting();
builder.AddEdgeRouting();
builder.AddEdgeHealth();
builder.AddEdgeStaticContent();

var app = builder.Build();
app.UseCors();
app.UseEdgeBodyLimit();
app.UseEdgeStaticContent();
app.UseEdgeOriginCheck();
app.UseRateLimiter();
app.MapDefaultEndpoints();
app.MapEdgeProxy();
app.Run();
