using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RealtimeAspire.ServiceDefaults.Redaction;

namespace RealtimeAspire.ServiceDefaults.Tests.Redaction;

/// <summary>The logger factory every service gets from <c>AddServiceDefaults</c>, with a provider that records what it is given.</summary>
public sealed partial class RedactingLoggerTests
{
    private const string Token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJncmVlZHkifQ.c2VjcmV0LXNpZ25hdHVyZQ";

    [Fact]
    public void AStructuredEventReachesTheProviderWithTheTokenOutOfItsMessageAndItsValues()
    {
        using var host = Host();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics");

        RequestStarting(logger, "GET", "/connect/sse", $"?channels=chat:a&access_token={Token}&since=3");

        var entry = Assert.Single(host.Services.GetRequiredService<RecordingProvider>().Entries);
        Assert.Equal("Request starting GET /connect/sse?channels=chat:a&access_token=[redacted]&since=3", entry.Message);
        Assert.Contains(entry.Values, v => v.Key == "QueryString" && (string?)v.Value == "?channels=chat:a&access_token=[redacted]&since=3");
        Assert.Contains(entry.Values, v => v.Key == "{OriginalFormat}");
        Assert.DoesNotContain(Token, entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(entry.Values, v => v.Value?.ToString()?.Contains(Token, StringComparison.Ordinal) == true);
    }

    [Fact]
    public void AnEventWithoutATokenReachesTheProviderAsItWasLogged()
    {
        using var host = Host();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Test");

        RequestStarting(logger, "GET", "/connect/poll", "?channels=chat:a");

        var entry = Assert.Single(host.Services.GetRequiredService<RecordingProvider>().Entries);
        Assert.Equal("Request starting GET /connect/poll?channels=chat:a", entry.Message);
        Assert.NotEqual("RedactedLogState", entry.State?.GetType().Name);
    }

    [Fact]
    public void InterpolatedTextAScopeAndADebugEventAreRedactedToo()
    {
        using var host = Host();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Yarp.ReverseProxy.Forwarder.HttpForwarder");

        using (logger.BeginScope("Forwarding {Url}", $"http://replica/connect/poll?access_token={Token}"))
        {
#pragma warning disable CA1848, CA2254 // the point: a message built by interpolation, as third-party code may log
            logger.LogDebug($"Proxying to http://replica/connect/poll?access_token={Token}");
#pragma warning restore CA1848, CA2254
        }

        var entry = Assert.Single(host.Services.GetRequiredService<RecordingProvider>().Entries);
        Assert.Equal("Proxying to http://replica/connect/poll?access_token=[redacted]", entry.Message);
        Assert.Equal("Forwarding http://replica/connect/poll?access_token=[redacted]", string.Join(" | ", entry.Scopes));
    }

    [LoggerMessage(1, LogLevel.Information, "Request starting {Method} {Path}{QueryString}")]
    private static partial void RequestStarting(ILogger logger, string method, string path, string queryString);

    private static IHost Host()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.AddAccessTokenRedaction();
        builder.Services.AddSingleton<RecordingProvider>();
        builder.Services.AddSingleton<ILoggerProvider>(services => services.GetRequiredService<RecordingProvider>());
        return builder.Build();
    }
}
