using RealtimeAspire.ConnectionService.Fanout;
using RealtimeAspire.ConnectionService.Protocol;
using RealtimeAspire.ConnectionService.Publishing;
using RealtimeAspire.Contracts;
using RealtimeAspire.Contracts.Wire;
using StackExchange.Redis;

namespace RealtimeAspire.ConnectionService.Tests.Functional;

/// <summary>
/// The publish script writes the wire message in Lua; the readers are C#. Run the real script on the real Redis and
/// read what it published and what it stored with the readers the services use.
/// </summary>
[Collection(nameof(ClusterCollection))]
public sealed class PublishScriptWireTests(ClusterTopology cluster)
{
    private const long Ts = 1_700_000_000_123;
    private const long PublishedAt = 1_700_000_000_456;
    private const string Data = """{"text":"hi \"there\"","n":[1,2]}""";

    [Fact]
    public async Task WhatThePublishScriptPublishesAndStoresIsReadBackByTheWireReaders()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await cluster.Topology.Instance("redis").ConnectionStringAsync())!);
        var channel = $"chat:wire-{Guid.NewGuid():N}";
        var published = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscriber = redis.GetSubscriber();
        var queue = await subscriber.SubscribeAsync(RedisChannel.Literal(RedisKeys.Topic(channel)));
        queue.OnMessage(message => published.TrySetResult((byte[])message.Message!));
        // Redis answers the PING on the subscription's connection after the SUBSCRIBE: nothing published now is missed.
        await subscriber.PingAsync();

        var (prefix, suffix) = MessageFrame.Build(channel, "msg-1", "alice", Ts, System.Text.Encoding.UTF8.GetBytes(Data));
        var seq = (long)await redis.GetDatabase().ScriptEvaluateAsync(PublishScript.Source,
            [RedisKeys.Sequence(channel), RedisKeys.History(channel), RedisKeys.Topic(channel)],
            [prefix, suffix, 10, 60, PublishedAt, "0"]);
        var payload = await published.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, seq);
        Assert.True(FanoutHeader.TryParse(payload, out var headerSeq, out var publishedAt, out var kind, out var frameStart));
        Assert.Equal((seq, PublishedAt, FanoutHeader.Message), (headerSeq, publishedAt, kind));
        Assert.True(MessageFrame.TryParse(payload.AsSpan(frameStart), out var fromTopic));
        Assert.Equal(new MessageFrameContent(channel, seq, "msg-1", "alice", Ts, Data), fromTopic);

        var stored = await redis.GetDatabase().SortedSetRangeByScoreAsync(RedisKeys.History(channel), seq, seq);
        Assert.True(MessageFrame.TryParse((byte[])stored.Single()!, out var fromHistory));
        Assert.Equal(fromTopic, fromHistory);

        Assert.True(FanoutPayload.TryParse(payload, out var live));
        Assert.Equal((seq, PublishedAt, FrameKind.Message), (live.Seq, live.PublishedAtMs, live.Kind));
        Assert.Equal((byte[])stored.Single()!, live.Frame.ToArray());
    }
}
