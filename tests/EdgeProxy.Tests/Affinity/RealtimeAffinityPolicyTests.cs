using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RealtimeAspire.EdgeProxy.Affinity;
using RealtimeAspire.EdgeProxy.Telemetry;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.SessionAffinity;

namespace RealtimeAspire.EdgeProxy.Tests.Affinity;

public sealed class RealtimeAffinityPolicyTests : IDisposable
{
    private const string Cluster = "connection-service";
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly AffinityKeyProtector _protector = new(RandomNumberGenerator.GetBytes(32));
    private readonly RealtimeAffinityPolicy _policy;
    private readonly ClusterState _cluster = new(Cluster);
    private readonly DestinationState[] _destinations = [new("connection-service-0"), new("connection-service-1"), new("connection-service-2")];
    private readonly SessionAffinityConfig _config = EdgeAffinityConfig();

    public RealtimeAffinityPolicyTests()
    {
        _policy = new RealtimeAffinityPolicy(_protector, Options.Create(new EdgeAffinityOptions()), new EdgeMetrics(_services.GetRequiredService<IMeterFactory>()));
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public void RequestWithoutKeyIsNewAndGetsKeyInHeaderAndCookie()
    {
        var context = new DefaultHttpContext();

        var result = _policy.FindAffinitizedDestinations(context, _cluster, _config, _destinations);
        _policy.AffinitizeResponse(context, _cluster, _config, _destinations[1]);

        Assert.Equal(AffinityStatus.AffinityKeyNotSet, result.Status);
        Assert.Equal(AffinityOutcome.New, context.Features.Get<AffinityDecision>()!.Outcome);
        var key = _protector.Protect(Cluster, "connection-service-1");
        Assert.Equal(key, context.Response.Headers[AffinityConventions.ClientHeader].ToString());
        var cookie = context.Response.Headers.SetCookie.ToString();
        Assert.StartsWith($"{AffinityConventions.DefaultCookieName}={key}", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("header")]
    [InlineData("query")]
    [InlineData("cookie")]
    public void KeyFromEachCarrierRoutesToItsReplica(string carrier)
    {
        var key = _protector.Protect(Cluster, "connection-service-2");
        var context = Request(carrier, key);

        var result = _policy.FindAffinitizedDestinations(context, _cluster, _config, _destinations);

        Assert.Equal(AffinityStatus.OK, result.Status);
        Assert.Same(_destinations[2], Assert.Single(result.Destinations!));
        Assert.Equal(AffinityOutcome.Hit, context.Features.Get<AffinityDecision>()!.Outcome);
    }

    [Fact]
    public void HeaderWinsOverQueryWhichWinsOverCookie()
    {
        var context = Request("cookie", "cookie-key");
        context.Request.QueryString = new QueryString("?affinity=query-key");
        Assert.Equal("query-key", RealtimeAffinityPolicy.RequestKey(context, AffinityConventions.DefaultCookieName));

        context.Request.Headers[AffinityConventions.ClientHeader] = "header-key";
        Assert.Equal("header-key", RealtimeAffinityPolicy.RequestKey(context, AffinityConventions.DefaultCookieName));
    }

    [Fact]
    public void KeyOfUnavailableReplicaIsRedistributedAndTheResponseCarriesTheNewKey()
    {
        var oldKey = _protector.Protect(Cluster, "connection-service-1");
        var context = Request("cookie", oldKey);
        DestinationState[] healthy = [_destinations[0], _destinations[2]];

        var result = _policy.FindAffinitizedDestinations(context, _cluster, _config, healthy);
        _policy.AffinitizeResponse(context, _cluster, _config, _destinations[2]);

        Assert.Equal(AffinityStatus.DestinationNotFound, result.Status);
        Assert.Equal(AffinityOutcome.Redistributed, context.Features.Get<AffinityDecision>()!.Outcome);
        var newKey = _protector.Protect(Cluster, "connection-service-2");
        Assert.Equal(newKey, context.Response.Headers[AffinityConventions.ClientHeader].ToString());
        Assert.Contains(newKey, context.Response.Headers.SetCookie.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedKeyIsAnExtractionFailure()
    {
        var context = Request("header", "not-a-key");

        var result = _policy.FindAffinitizedDestinations(context, _cluster, _config, _destinations);

        Assert.Equal(AffinityStatus.AffinityKeyExtractionFailed, result.Status);
        Assert.Equal(AffinityOutcome.Redistributed, context.Features.Get<AffinityDecision>()!.Outcome);
    }

    [Fact]
    public void CookieAlreadyHoldingTheKeyIsNotSetAgain()
    {
        var key = _protector.Protect(Cluster, "connection-service-0");
        var context = Request("cookie", key);

        _policy.FindAffinitizedDestinations(context, _cluster, _config, _destinations);
        _policy.AffinitizeResponse(context, _cluster, _config, _destinations[0]);

        Assert.Equal(0, context.Response.Headers.SetCookie.Count);
        Assert.Equal(key, context.Response.Headers[AffinityConventions.ClientHeader].ToString());
    }

    [Fact]
    public void EveryLookupIsCountedAsHitMissOrRedistribution()
    {
        var results = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EdgeMetrics.MeterName && instrument.Name == "realtime.edge.affinity")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "result")
                {
                    results.Add((string)tag.Value!);
                }
            }
        });
        listener.Start();

        _policy.FindAffinitizedDestinations(new DefaultHttpContext(), _cluster, _config, _destinations);
        _policy.FindAffinitizedDestinations(Request("header", _protector.Protect(Cluster, "connection-service-0")), _cluster, _config, _destinations);
        _policy.FindAffinitizedDestinations(Request("header", _protector.Protect(Cluster, "connection-service-0")), _cluster, _config, [_destinations[1]]);
        _policy.FindAffinitizedDestinations(Request("header", "garbage"), _cluster, _config, _destinations);

        Assert.Equal(["miss", "hit", "redistributed", "redistributed"], results);
    }

    private static DefaultHttpContext Request(string carrier, string key)
    {
        var context = new DefaultHttpContext();
        switch (carrier)
        {
            case "header":
                context.Request.Headers[AffinityConventions.ClientHeader] = key;
                break;
            case "query":
                context.Request.QueryString = QueryString.Create(AffinityConventions.QueryParameter, key);
                break;
            default:
                context.Request.Headers.Cookie = $"{AffinityConventions.DefaultCookieName}={key}";
                break;
        }
        return context;
    }

    private static SessionAffinityConfig EdgeAffinityConfig() =>
        EdgeAffinity.ClusterConfig(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
}
