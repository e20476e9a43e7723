using System.Net;
using System.Net.Http.Headers;

namespace RealtimeAspire.EdgeProxy.Tests.ThroughTheEdge;

public sealed partial class ThroughTheEdgeTests
{
    [Fact]
    public async Task ConnectionFromAForeignBrowserOriginIsRefusedAtTheEdge()
    {
        using var foreign = new HttpRequestMessage(HttpMethod.Get, "/connect/info");
        foreign.Headers.Add("Origin", "https://evil.example");
        foreign.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestRequestsToken($"origin-{_run}"));
        using var refused = await Edge.Http.SendAsync(foreign);

        using var own = new HttpRequestMessage(HttpMethod.Get, "/connect/info");
        own.Headers.Add("Origin", Edge.BaseAddress.GetLeftPart(UriPartial.Authority));
        own.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestRequestsToken($"origin-{_run}"));
        using var accepted = await Edge.Http.SendAsync(own);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(refused.Headers.Contains("X-Realtime-Replica"), "a refused connection must not reach a replica");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task CorsPreflightFromAForeignOriginIsNotAllowed()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, $"/api/channels/chat:cors-{_run}/messages");
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");

        using var response = await Edge.Http.SendAsync(preflight);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task OversizedBodyAndOversizedHeadersAreRefused()
    {
        var token = await Edge.DevTokenAsync($"size-{_run}");
        using var publish = new HttpRequestMessage(HttpMethod.Post, $"/api/channels/chat:size-{_run}/messages")
        {
            Content = new ByteArrayContent(new byte[2 * 1024 * 1024]) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        publish.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var tooLarge = await Edge.Http.SendAsync(publish);

        using var headers = new HttpRequestMessage(HttpMethod.Get, "/connect/info");
        headers.Headers.Add("X-Padding", new string('x', 40 * 1024));
        using var tooManyHeaderBytes = await Edge.Http.SendAsync(headers);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, tooManyHeaderBytes.StatusCode);
    }
}
