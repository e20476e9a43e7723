using System.Diagnostics.Metrics;

namespace RealtimeAspire.ConnectionService.Diagnostics;

/// <summary>The service's one meter. Instrument names are documented in docs/protocol.md (Observability).</summary>
public sealed class ConnectionMetrics
{
    public const string MeterName = "RealtimeAspire.ConnectionService";

    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _connectionsOpened;
    private readonly UpDownCounter<long> _subscriptions;
    private readonly Counter<long> _messagesIn;
    private readonly Counter<long> _messagesOut;
    private readonly Histogram<double> _fanoutLatency;
    private readonly Histogram<double> _publishDuration;
    private readonly Histogram<double> _publishStageDuration;
    private readonly Counter<long> _slowConsumerCloses;
    private readonly Counter<long> _refusedFrames;
    private readonly Counter<long> _authFailures;
    private readonly UpDownCounter<long> _redisChannels;
    private readonly Counter<long> _sequenceRecoveries;
    private readonly Counter<long> _typing;
    private readonly Histogram<int> _claimBatchSize;
    private readonly Histogram<double> _claimBatchDuration;

    public ConnectionMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _connections = meter.CreateUpDownCounter<long>("realtime.connections", description: "Open connections by transport.");
        _connectionsOpened = meter.CreateCounter<long>("realtime.connections.opened", description: "Connections admitted, by transport and accept.path (connection_middleware or http_pipeline).");
        _subscriptions = meter.CreateUpDownCounter<long>("realtime.subscriptions", description: "Channel subscriptions held by connections.");
        _messagesIn = meter.CreateCounter<long>("realtime.messages.in", description: "Messages published by clients, by transport.");
        _messagesOut = meter.CreateCounter<long>("realtime.messages.out", description: "Frames written to clients, by transport.");
        _fanoutLatency = meter.CreateHistogram<double>("realtime.fanout.latency", "ms", "Publish (the publishing replica's clock) to the message queued for every local subscriber, once per message per replica; time in the connections' queues is not in it.");
        _publishDuration = meter.CreateHistogram<double>("realtime.publish.duration", "ms", "Publish received to ack (includes Kafka for durable channels).");
        _publishStageDuration = meter.CreateHistogram<double>("realtime.publish.stage.duration", "ms",
            "One stage of a durable publish: stage=sequence (the Redis publish script), claim_and_sequence (the same for a channel without a counter: script, claim from Message.Service, script) or produce (Kafka, sent to acknowledged).");
        _slowConsumerCloses = meter.CreateCounter<long>("realtime.slow_consumer.closes", description: "Connections closed because their outbound queue was full.");
        _refusedFrames = meter.CreateCounter<long>("realtime.frames.refused", description: "Client frames answered with an error, by code.");
        _authFailures = meter.CreateCounter<long>("realtime.auth.failures", description: "Requests refused for a missing or invalid token.");
        // Up and down, not a Counter: a release is -1, which a Counter (monotonic) must never be given.
        _redisChannels = meter.CreateUpDownCounter<long>("realtime.redis.subscriptions", description: "Redis channel subscriptions this replica holds (taken +1, released -1).");
        _typing = meter.CreateCounter<long>("realtime.typing", description: "Typing hints by outcome: sent, too_soon (within the user's typing interval), failed (Redis).");
        _claimBatchSize = meter.CreateHistogram<int>("realtime.sequence.claim.batch.size", "{channel}", "Channels named per batch claim sent to Message.Service (POST /internal/channels/claims).");
        _claimBatchDuration = meter.CreateHistogram<double>("realtime.sequence.claim.batch.duration", "ms", "A batch claim's request to Message.Service, sent to answered.");
        _sequenceRecoveries = meter.CreateCounter<long>("realtime.sequence.recoveries", description: "Channel sequence counters initialised through Message.Service's claim; channel.state: new (never used) or lost (Redis lost it).");
    }

    public void ConnectionOpened(string transport, string acceptPath)
    {
        _connections.Add(1, new KeyValuePair<string, object?>("transport", transport));
        _connectionsOpened.Add(1, new KeyValuePair<string, object?>("transport", transport), new KeyValuePair<string, object?>("accept.path", acceptPath));
    }

    public void ConnectionClosed(string transport) => _connections.Add(-1, new KeyValuePair<string, object?>("transport", transport));
    public void Subscribed() => _subscriptions.Add(1);
    public void Unsubscribed() => _subscriptions.Add(-1);
    public void MessageIn(string transport) => _messagesIn.Add(1, new KeyValuePair<string, object?>("transport", transport));
    public void MessageOut(string transport) => _messagesOut.Add(1, new KeyValuePair<string, object?>("transport", transport));
    public void FanoutLatency(double milliseconds) => _fanoutLatency.Record(milliseconds);
    public void PublishDuration(double milliseconds, bool durable) => _publishDuration.Record(milliseconds, new KeyValuePair<string, object?>("durable", durable));
    public void PublishStageDuration(PublishStage stage, double milliseconds) => _publishStageDuration.Record(milliseconds, new KeyValuePair<string, object?>("stage", stage switch
    {
        PublishStage.Sequence => "sequence",
        PublishStage.ClaimAndSequence => "claim_and_sequence",
        _ => "produce",
    }));
    public void SlowConsumerClosed(string transport) => _slowConsumerCloses.Add(1, new KeyValuePair<string, object?>("transport", transport));
    public void FrameRefused(string code) => _refusedFrames.Add(1, new KeyValuePair<string, object?>("code", code));
    public void AuthFailed(string reason) => _authFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));
    public void RedisSubscriptionTaken() => _redisChannels.Add(1);
    public void RedisSubscriptionReleased() => _redisChannels.Add(-1);
    /// <summary>A batch claim answered: its size and duration, tagged whether all, none or some of its channels were new.</summary>
    public void ClaimBatch(int channels, int newChannels, double durationMs)
    {
        var tag = new KeyValuePair<string, object?>("outcome", newChannels == channels ? "all_new" : newChannels == 0 ? "none_new" : "mixed");
        _claimBatchSize.Record(channels, tag);
        _claimBatchDuration.Record(durationMs, tag);
    }

    /// <summary>A counter initialised: <paramref name="newChannel"/> when the channel was never used, else recovered after a loss.</summary>
    public void SequenceRecovered(bool newChannel) => _sequenceRecoveries.Add(1, new KeyValuePair<string, object?>("channel.state", newChannel ? "new" : "lost"));
    public void Typing(TypingOutcome outcome) => _typing.Add(1, new KeyValuePair<string, object?>("outcome", outcome switch
    {
        TypingOutcome.Sent => "sent",
        TypingOutcome.TooSoon => "too_soon",
        _ => "failed",
    }));
}
