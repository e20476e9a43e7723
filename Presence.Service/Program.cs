var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPresenceService();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.MapPresenceService();
app.Run();
