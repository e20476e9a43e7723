using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RealtimeAspire.EdgeProxy.Affinity;
using RealtimeAspire.EdgeProxy.Telemetry;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms.Builder;

namespace RealtimeAspire.EdgeProxy.Tests.Affinity;

/// <summary>What a replica receives: the edge's request transforms applied as YARP builds them for a sticky route.</summary>
public sealed class ForwardedHeadersTests : IDisposable
{
    private readonly ServiceProvider _services;

    public ForwardedHeadersTests()
    {
        var services = new ServiceCollection().AddLogging().AddMetrics().AddSingleton<EdgeMetrics>();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddReverseProxy().AddEdgeAffinity();
        services.AddSingleton(new AffinityKeyProtector(RandomNumberGenerator.GetBytes(32)));
        _services = services.BuildServiceProvider();
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task ReplicaReceivesTheChosenKeyAndForwardedHeadersNotTheClientsOwn()
    {
        var cluster = new ClusterConfig
        {
            ClusterId = "connection-service",
            SessionAffinity = EdgeAffinity.ClusterConfig(new ConfigurationBuilder().Build()),
        };
        var route = new RouteConfig { RouteId = "connect", ClusterId = cluster.ClusterId, Match = new RouteMatch { Path = "/connect/{**rest}" } };
        var transformer = _services.GetRequiredService<ITransformBuilder>().Build(route, cluster);
        var destination = new DestinationState("connection-service-1", new DestinationModel(new DestinationConfig { Address = "http://127.0.0.1:5101" }));

        var context = new DefaultHttpContext();
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("edge.example");
        context.Request.Path = "/connect/ws";
        context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.9");
        context.Request.Headers[AffinityConventions.ForwardedHeader] = "forged-by-client";
        context.Request.Headers["X-Forwarded-For"] = "10.6.6.6";
        context.Features.Set<IReverseProxyFeature>(new ReverseProxyFeature
        {
            Route = new RouteModel(route, new ClusterState(cluster.ClusterId), transformer),
            Cluster = new ClusterModel(cluster, new HttpMessageInvoker(new SocketsHttpHandler())),
            AllDestinations = [destination],
            AvailableDestinations = [destination],
            ProxiedDestination = destination,
        });
        using var proxyRequest = new HttpRequestMessage();

        await transformer.TransformRequestAsync(context, proxyRequest, "http://127.0.0.1:5101", CancellationToken.None);

        var expectedKey = _services.GetRequiredService<AffinityKeyProtector>().Protect("connection-service", "connection-service-1");
        Assert.Equal([expectedKey], proxyRequest.Headers.GetValues(AffinityConventions.ForwardedHeader));
        Assert.Equal(["203.0.113.9"], proxyRequest.Headers.GetValues("X-Forwarded-For"));
        Assert.Equal(["https"], proxyRequest.Headers.GetValues("X-Forwarded-Proto"));
        Assert.Equal(["edge.example"], proxyRequest.Headers.GetValues("X-Forwarded-Host"));
    }
}
