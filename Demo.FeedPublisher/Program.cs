using RealtimeAspire.Demo.FeedPublisher;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddFeedPublisher();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
