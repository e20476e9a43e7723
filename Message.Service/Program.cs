using RealtimeAspire.MessageService.Apis;
using RealtimeAspire.MessageService.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMessageService();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.MapDefaultEndpoints();
app.MapHistoryApi();
app.MapSequenceRecoveryApi();
app.Run();
