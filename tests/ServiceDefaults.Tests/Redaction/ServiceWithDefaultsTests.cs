using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace RealtimeAspire.ServiceDefaults.Tests.Redaction;

/// <summary>
/// A web service with <c>AddServiceDefaults</c>, configured as an Aspire AppHost runs it (query redaction of the
/// ASP.NET Core and HttpClient instrumentations turned off) and logging at Debug: a request carrying
/// <c>?access_token=</c>, served and sent on by HttpClient, leaves the token in no log event and no span attribute.
/// </summary>
public sealed class ServiceWithDefaultsTests
{
    private const string Token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZWJ1ZyJ9.dG9wLXNlY3JldA";

    [Fact]
    public async Task ATokenInTheQueryReachesNoLogEventAndNoSpanAttribute()
    {
        var recording = new RecordingProvider();
        var spans = new ConcurrentQueue<Activity>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_DISABLE_URL_QUERY_REDACTION"] = "true";
        builder.Configuration["OTEL_DOTNET_EXPERIMENTAL_HTTPCLIENT_DISABLE_URL_QUERY_REDACTION"] = "true";
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Debug).AddProvider(recording);
        builder.AddServiceDefaults();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(new Recorder(spans)));
        await using var app = builder.Build();
        app.MapGet("/connect/sse", () => "ok");
        app.MapGet("/forward", async (IHttpClientFactory clients, HttpRequest request) =>
            await clients.CreateClient().GetStringAsync($"{request.Scheme}://{request.Host}/connect/sse{request.QueryString}"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();

        using (var client = new HttpClient { BaseAddress = new Uri(address) })
        {
            Assert.Equal("ok", await client.GetStringAsync($"/forward?channels=chat:a&access_token={Token}&since=4"));
        }
        await app.StopAsync();

        var lines = recording.Entries.Select(e => e.Message).ToList();
        Assert.Contains(lines, l => l.Contains("/forward?channels=chat:a&access_token=[redacted]&since=4", StringComparison.Ordinal));
        Assert.DoesNotContain(recording.Entries, e => e.Message.Contains(Token, StringComparison.Ordinal)
            || e.Values.Any(v => v.Value?.ToString()?.Contains(Token, StringComparison.Ordinal) == true)
            || e.Scopes.Any(s => s.Contains(Token, StringComparison.Ordinal)));
        // The server spans of both requests and the client span between them.
        Assert.True(spans.Count >= 3, $"{spans.Count} spans recorded");
        var tags = spans.SelectMany(s => s.TagObjects).Where(t => t.Value is string).Select(t => $"{t.Key}={t.Value}").ToList();
        Assert.Contains(tags, t => t.StartsWith("url.query=", StringComparison.Ordinal) && t.Contains("access_token=[redacted]", StringComparison.Ordinal));
        Assert.DoesNotContain(tags, t => t.Contains(Token, StringComparison.Ordinal));
    }

    /// <summary>Added after <c>AddServiceDefaults</c>: sees a span as the exporters do.</summary>
    private sealed class Recorder(ConcurrentQueue<Activity> spans) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => spans.Enqueue(data);
    }
}
