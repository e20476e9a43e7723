using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RealtimeAspire.EdgeProxy.RateLimiting;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace RealtimeAspire.EdgeProxy.Tests.RateLimiting;

/// <summary>Requests as the rate limiter sees them: matched to a YARP route of a traffic class, from an address, with a token.</summary>
internal static class TestRequests
{
    public static DefaultHttpContext To(string? traffic, string ip = "203.0.113.7", string? subject = null, string? path = null, string? query = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        if (path is not null)
        {
            context.Request.Path = path;
        }
        if (query is not null)
        {
            context.Request.QueryString = new QueryString(query);
        }
        context.Connection.RemoteIpAddress = IPAddress.Parse(ip);
        var route = new RouteConfig
        {
            RouteId = traffic ?? "other",
            ClusterId = "connection-service",
            Match = new RouteMatch { Path = "/{**any}" },
            Metadata = traffic is null ? null : new Dictionary<string, string> { [RateLimitTraffic.MetadataKey] = traffic },
        };
        context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(new RouteModel(route, null, HttpTransformer.Default)), route.RouteId));
        if (subject is not null)
        {
            context.Request.Headers.Authorization = "Bearer " + UnsignedToken(new { sub = subject });
        }
        return context;
    }

    /// <summary>A JWT-shaped token with a fake signature: the edge reads <c>sub</c> for bucketing only.</summary>
    public static string UnsignedToken(object payload) =>
        $"{Base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}")}.{Base64Url(JsonSerializer.Serialize(payload))}.c2lnbmF0dXJl";

    private static string Base64Url(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
