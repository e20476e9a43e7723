using System.Diagnostics;
using Confluent.Kafka;
using RealtimeAspire.ConnectionService.Channels;
using RealtimeAspire.ConnectionService.Diagnostics;
using RealtimeAspire.ConnectionService.Fanout;
using RealtimeAspire.ConnectionService.History;
using RealtimeAspire.ConnectionService.Protocol;
using RealtimeAspire.Contracts;
using RealtimeAspire.Contracts.Wire;
using RealtimeAspire.Integrations.Redis;
using StackExchange.Redis;

namespace RealtimeAspire.ConnectionService.Publishing;

/// <summary>
/// The publish path of design §3, after validation:
/// 1. build the message frame once (prefix/suffix around the sequence number);
/// 2. one atomic Redis script: next sequence, capped history, publish to the channel's topic (the fan-out);
/// 3. produce the envelope to Kafka (idempotent, acks=all, key = channel) and wait for its acknowledgement;
/// 4. only then return the ack. Ephemeral namespaces stop after a plain PUBLISH.
/// </summary>
public sealed class MessagePublisher(
    IConnectionMultiplexer redis,
    RedisPubSub pubSub,
    MessageProducer kafka,
    TimeProvider time,
    ConnectionMetrics metrics,
    ILogger<MessagePublisher> logger,
    SequenceRecoveryClient? recovery = null)
{
    public async Task<PublishResult> PublishAsync(ChannelName channel, NamespaceOptions settings, string from, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var activity = ConnectionTelemetry.Source.StartActivity("publish", ActivityKind.Producer);
        activity?.SetTag("messaging.destination.name", channel.Value);

        data = MessageFrame.SingleLine(data);
        var name = channel.Value;
        var msgId = Guid.CreateVersion7().ToString("N");
        var ts = time.GetUtcNow().ToUnixTimeMilliseconds();
        var (prefix, suffix) = MessageFrame.Build(name, msgId, from, ts, data);
        var database = redis.GetDatabase();

        if (!settings.Durable)
        {
            await database.PublishAsync(pubSub.Topic(name), FanoutPayload.Create(0, ts, FrameKind.Message, MessageFrame.Complete(prefix, 0)));
            metrics.PublishDuration(time.GetElapsedTime(started).TotalMilliseconds, durable: false);
            return new PublishResult(0, msgId);
        }

        var (seq, claimed) = await SequenceAsync(database, name, prefix, suffix, settings, ts, cancellationToken);
        activity?.SetTag("realtime.seq", seq);
        var sequenced = time.GetTimestamp();
        metrics.PublishStageDuration(claimed ? PublishStage.ClaimAndSequence : PublishStage.Sequence, time.GetElapsedTime(started, sequenced).TotalMilliseconds);

        var envelope = MessageEnvelopeWriter.Write(msgId, name, seq, from, ts, data, activity?.Id ?? Activity.Current?.Id, activity?.TraceStateString);
        try
        {
            await kafka.ProduceAsync(name, envelope, cancellationToken);
        }
        catch (Exception ex) when (ex is ProduceException<string, byte[]> or KafkaException)
        {
            // Fanned out but not durable: Message.Service repairs the gap from Redis history (no phantoms);
            // the sender gets no ack and may retry.
            logger.PublishFailed(name, seq, ex);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw new PublishFailedException(name, ex);
        }
        metrics.PublishStageDuration(PublishStage.Produce, time.GetElapsedTime(sequenced).TotalMilliseconds);
        metrics.PublishDuration(time.GetElapsedTime(started).TotalMilliseconds, durable: true);
        return new PublishResult(seq, msgId);
    }

    /// <summary>
    /// Runs the publish script; a counter Redis lost (or never had) is recovered first, when Message.Service is there
    /// to ask. <c>Claimed</c>: whether it was.
    /// </summary>
    private async Task<(long Seq, bool Claimed)> SequenceAsync(IDatabase database, string name, byte[] prefix, byte[] suffix, NamespaceOptions settings, long ts, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var seq = (long)await database.ScriptEvaluateAsync(pubSub.IsSharded ? PublishScript.ShardedSource : PublishScript.Source,
                [RedisKeys.Sequence(name), RedisKeys.History(name), RedisKeys.Topic(name)],
                [prefix, suffix, settings.HistorySize, (long)settings.HistoryTtl.TotalSeconds, ts, recovery is null ? "0" : "1"]);
            if (seq != PublishScript.RecoveryNeeded)
            {
                return (seq, attempt > 0);
            }
            if (attempt == 2)
            {
                throw new PublishFailedException(name, new InvalidOperationException("The sequence counter could not be recovered."));
            }
            try
            {
                await recovery!.RecoverAsync(name, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException or System.Text.Json.JsonException)
            {
                throw new PublishFailedException(name, ex);
            }
        }
    }

    /// <summary>
    /// Typing: an ephemeral frame to the channel's subscribers, never stored, at most one per user and channel per
    /// <see cref="NamespaceOptions.TypingInterval"/> over all the user's connections and replicas (a key set only if
    /// absent, expiring after the interval). A hint: one too soon, or one Redis could not take, is dropped.
    /// </summary>
    public async Task PublishTypingAsync(ChannelName channel, NamespaceOptions settings, string user)
    {
        var database = redis.GetDatabase();
        TypingOutcome outcome;
        try
        {
            outcome = await database.StringSetAsync(RedisKeys.Typing(channel.Value, user), RedisValue.EmptyString, settings.TypingInterval, When.NotExists)
                ? TypingOutcome.Sent
                : TypingOutcome.TooSoon;
            if (outcome == TypingOutcome.Sent)
            {
                await database.PublishAsync(pubSub.Topic(channel.Value),
                    FanoutPayload.Create(0, time.GetUtcNow().ToUnixTimeMilliseconds(), FrameKind.Typing, ServerFrames.Typing(channel.Value, user)));
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.TypingFailed(channel.Value, ex);
            outcome = TypingOutcome.Failed;
        }
        metrics.Typing(outcome);
    }
}
