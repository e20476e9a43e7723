using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RealtimeAspire.EdgeProxy.Telemetry;

/// <summary>
/// The edge's instruments, all on the one meter <c>RealtimeAspire.Edge</c>. Tags are bounded sets (route ids,
/// destination ids, transports, outcomes), never client data.
/// </summary>
public sealed class EdgeMetrics
{
    public const string MeterName = "RealtimeAspire.Edge";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _upgrades;
    private readonly UpDownCounter<long> _activeStreams;
    private readonly Counter<long> _affinity;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _failovers;
    private readonly Counter<long> _originRejected;

    public EdgeMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("realtime.edge.requests", "{request}",
            "Requests proxied, by route, destination and transport (http, websocket, sse, long-poll).");
        _upgrades = meter.CreateCounter<long>("realtime.edge.upgrades", "{upgrade}",
            "WebSocket upgrades completed (101) through the edge, by route and destination.");
        _activeStreams = meter.CreateUpDownCounter<long>("realtime.edge.active_streams", "{stream}",
            "Proxied WebSockets, SSE streams and held long polls in progress, by destination and transport.");
        _affinity = meter.CreateCounter<long>("realtime.edge.affinity", "{request}",
            "Affinity lookups by cluster and result: hit, miss (no key: a new client), redistributed (key's replica unavailable or key invalid).");
        _rateLimited = meter.CreateCounter<long>("realtime.edge.rate_limited", "{request}",
            "Requests refused with 429 by the edge's rate limits, by traffic class (connect, publish).");
        _failovers = meter.CreateCounter<long>("realtime.edge.connect_failovers", "{request}",
            "Requests re-sent to another replica after the chosen one refused the connection, by failed destination.");
        _originRejected = meter.CreateCounter<long>("realtime.edge.origin_rejected", "{request}",
            "Connection attempts refused with 403 because their browser Origin is not allowed.");
    }

    public void Request(string route, string destination, string transport) =>
        _requests.Add(1, new TagList { { "route", route }, { "destination", destination }, { "transport", transport } });

    public void Upgrade(string route, string destination) =>
        _upgrades.Add(1, new TagList { { "route", route }, { "destination", destination } });

    public void StreamOpened(string destination, string transport) =>
        _activeStreams.Add(1, new TagList { { "destination", destination }, { "transport", transport } });

    public void StreamClosed(string destination, string transport) =>
        _activeStreams.Add(-1, new TagList { { "destination", destination }, { "transport", transport } });

    public void Affinity(string cluster, AffinityOutcome outcome) =>
        _affinity.Add(1, new TagList { { "cluster", cluster }, { "result", OutcomeName(outcome) } });

    public void RateLimited(string traffic) => _rateLimited.Add(1, new KeyValuePair<string, object?>("traffic", traffic));

    public void Failover(string destination) => _failovers.Add(1, new KeyValuePair<string, object?>("destination", destination));

    public void OriginRejected() => _originRejected.Add(1);

    public static string OutcomeName(AffinityOutcome outcome) => outcome switch
    {
        AffinityOutcome.Hit => "hit",
        AffinityOutcome.New => "miss",
        _ => "redistributed",
    };
}
