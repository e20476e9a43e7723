var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddConnectionService();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.MapConnectionService();
app.Run();
