using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RealtimeAspire.PresenceService.Diagnostics;

/// <summary>The service's one <see cref="Meter"/> and one <see cref="ActivitySource"/>, both <c>RealtimeAspire.PresenceService</c>.</summary>
public sealed class PresenceTelemetry : IDisposable
{
    public const string Name = "RealtimeAspire.PresenceService";

    private readonly Meter _meter;
    private readonly Counter<long> _events;
    private readonly Histogram<long> _connectionsPerUser;
    private readonly Counter<long> _expiredMembers;
    private readonly Counter<long> _expiredReplicas;
    private readonly Histogram<double> _heartbeatLag;
    private readonly Counter<long> _frames;
    private readonly Histogram<int> _frameSize;
    private long _onlineUsers;

    public PresenceTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        _events = _meter.CreateCounter<long>("realtime.presence.events", "{event}", "User joins and leaves (first connection arrived, last one gone), tagged kind=joined|left.");
        _connectionsPerUser = _meter.CreateHistogram<long>("realtime.presence.connections_per_user", "{connection}", "A user's connections to a channel after each connection joins.");
        _expiredMembers = _meter.CreateCounter<long>("realtime.presence.expired", "{event}", "Leaves caused by a replica's lapsed lease (TTL).");
        _expiredReplicas = _meter.CreateCounter<long>("realtime.presence.replicas.expired", "{replica}", "Replicas whose lease lapsed.");
        _heartbeatLag = _meter.CreateHistogram<double>("realtime.presence.heartbeat.lag", "s", "Time since the same replica's previous report, on each report.");
        _frames = _meter.CreateCounter<long>("realtime.presence.frames", "{frame}", "Presence frames published to channel subscribers, tagged kind=names|summary.");
        _frameSize = _meter.CreateHistogram<int>("realtime.presence.frame.size", "By", "Size of each presence frame published (each subscriber of the channel receives it).");
        _meter.CreateObservableGauge("realtime.presence.users.online", () => Volatile.Read(ref _onlineUsers), "{user}", "Users present in at least one channel.");
        ActivitySource = new ActivitySource(Name);
    }

    public ActivitySource ActivitySource { get; }

    public void Transition(bool joined) => _events.Add(1, new KeyValuePair<string, object?>("kind", joined ? "joined" : "left"));

    public void ConnectionsPerUser(long connections) => _connectionsPerUser.Record(connections);

    public void HeartbeatLag(TimeSpan sincePreviousReport) => _heartbeatLag.Record(sincePreviousReport.TotalSeconds);

    public void ReplicaExpired(int members)
    {
        _expiredReplicas.Add(1);
        _expiredMembers.Add(members);
    }

    public void FramePublished(int bytes, bool summary)
    {
        var kind = new KeyValuePair<string, object?>("kind", summary ? "summary" : "names");
        _frames.Add(1, kind);
        _frameSize.Record(bytes, kind);
    }

    public void OnlineUsers(long value) => Volatile.Write(ref _onlineUsers, value);

    public void Dispose()
    {
        ActivitySource.Dispose();
        _meter.Dispose();
    }
}
