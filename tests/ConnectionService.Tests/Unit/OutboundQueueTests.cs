using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.ConnectionService.Protocol;
using RealtimeAspire.Contracts.Auth;

namespace RealtimeAspire.ConnectionService.Tests.Unit;

/// <summary>A connection's outbound queue: bounded, never dropping silently, many writers and one reader, driven in memory.</summary>
public sealed class OutboundQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void AFullQueueClosesTheConnectionAsASlowConsumer()
    {
        var connection = new TestConnection(maxQueuedFrames: 2);

        Assert.True(connection.TryEnqueue(Frame(1)));
        Assert.True(connection.TryEnqueue(Frame(2)));
        Assert.False(connection.TryEnqueue(Frame(3)));

        Assert.Equal(CloseReason.SlowConsumer, connection.CloseReason);
        Assert.Equal(1, connection.SlowConsumerCalls);
        Assert.True(connection.Closing.IsCancellationRequested);
    }

    [Fact]
    public void FramesCountAgainstTheBoundUntilTheReaderIsThroughTheirBatch()
    {
        var queue = new OutboundQueue(2);
        Assert.True(queue.TryEnqueue(Frame(1)));
        Assert.True(queue.TryEnqueue(Frame(2)));

        Assert.True(queue.TryRead(out var first));
        Assert.Equal(1, first.Seq);
        // 2 is still to be written: the queue is full until the reader comes back for more.
        Assert.False(queue.TryEnqueue(Frame(3)));
        Assert.True(queue.TryRead(out _));
        Assert.False(queue.TryRead(out _));

        Assert.True(queue.TryEnqueue(Frame(3)));
        Assert.True(queue.TryEnqueue(Frame(4)));
        Assert.Equal(2, queue.Count);
    }

    [Fact]
    public void AFrameForAConnectionThatIsEndingIsRefusedWithoutCallingItSlow()
    {
        var connection = new TestConnection(maxQueuedFrames: 2);
        connection.CompleteOutbound();

        Assert.False(connection.TryEnqueue(Frame(1)));

        Assert.Null(connection.CloseReason);
        Assert.Equal(0, connection.SlowConsumerCalls);
    }

    [Fact]
    public async Task EnqueueAsyncWaitsForRoomThenProceeds()
    {
        var queue = new OutboundQueue(2);
        await queue.EnqueueAsync(Frame(1), CancellationToken.None);
        await queue.EnqueueAsync(Frame(2), CancellationToken.None);

        var third = queue.EnqueueAsync(Frame(3), CancellationToken.None).AsTask();
        Assert.False(third.IsCompleted);

        Assert.Equal([1, 2], ReadAll(queue));
        await third.WaitAsync(Timeout);
        Assert.Equal([3], ReadAll(queue));
    }

    [Fact]
    public async Task EnqueueAsyncEndsWithTheConnectionWhileWaitingForRoom()
    {
        var queue = new OutboundQueue(1);
        await queue.EnqueueAsync(Frame(1), CancellationToken.None);
        var waiting = queue.EnqueueAsync(Frame(2), CancellationToken.None).AsTask();

        queue.Complete();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Timeout));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.EnqueueAsync(Frame(3), CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task CompletionLetsTheReaderDrainWhatIsQueuedThenEnds()
    {
        var queue = new OutboundQueue(8);
        queue.TryEnqueue(Frame(1));
        queue.TryEnqueue(Frame(2));

        queue.Complete();

        Assert.False(queue.TryEnqueue(Frame(3)));
        Assert.True(await queue.WaitToReadAsync());
        Assert.Equal([1, 2], ReadAll(queue));
        Assert.False(await queue.WaitToReadAsync());
    }

    [Fact]
    public async Task AWaitingReaderIsWokenByAFrameAndToldWhenTheQueueCompletes()
    {
        var queue = new OutboundQueue(8);
        var wait = queue.WaitToReadAsync().AsTask();
        Assert.False(wait.IsCompleted);

        queue.TryEnqueue(Frame(1));
        Assert.True(await wait.WaitAsync(Timeout));
        Assert.Equal([1], ReadAll(queue));

        var end = queue.WaitToReadAsync().AsTask();
        Assert.False(end.IsCompleted);
        queue.Complete();
        Assert.False(await end.WaitAsync(Timeout));
    }

    [Fact]
    public async Task ACancelledWaitThrowsAndTheNextWaitStillWorks()
    {
        var queue = new OutboundQueue(8);
        using var cancel = new CancellationTokenSource();
        var wait = queue.WaitToReadAsync(cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Timeout));
        var next = queue.WaitToReadAsync().AsTask();
        queue.TryEnqueue(Frame(1));
        Assert.True(await next.WaitAsync(Timeout));
    }

    [Fact]
    public async Task DiscardDropsWhatIsQueuedAndTheRestOfTheReadersBatch()
    {
        var queue = new OutboundQueue(8);
        queue.TryEnqueue(Frame(1));
        queue.TryEnqueue(Frame(2));
        Assert.True(queue.TryRead(out _));
        queue.TryEnqueue(Frame(3));

        queue.Discard();

        Assert.False(queue.TryRead(out _));
        Assert.False(queue.TryEnqueue(Frame(4)));
        Assert.False(await queue.WaitToReadAsync());
    }

    [Fact]
    public async Task ConcurrentWritersAndOneReaderLoseNothingAndKeepEachWritersOrder()
    {
        const int writers = 4;
        const int framesPerWriter = 50_000;
        var queue = new OutboundQueue(64);
        var received = new List<long>[writers];
        for (var w = 0; w < writers; w++)
        {
            received[w] = [];
        }

        var reader = Task.Run(async () =>
        {
            while (await queue.WaitToReadAsync())
            {
                while (queue.TryRead(out var frame))
                {
                    received[(int)(frame.Seq / 1_000_000)].Add(frame.Seq % 1_000_000);
                }
            }
        });
        var writing = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < framesPerWriter; i++)
            {
                var frame = Frame(w * 1_000_000L + i);
                // Both paths: the synchronous one while there is room, the waiting one (catch-up's) when full.
                if (!queue.TryEnqueue(frame))
                {
                    await queue.EnqueueAsync(frame, CancellationToken.None);
                }
            }
        })).ToArray();
        await Task.WhenAll(writing).WaitAsync(Timeout);
        queue.Complete();
        await reader.WaitAsync(Timeout);

        foreach (var frames in received)
        {
            Assert.Equal(Enumerable.Range(0, framesPerWriter).Select(i => (long)i), frames);
        }
    }

    private static OutboundFrame Frame(long seq) => new(FrameKind.Message, "{}"u8.ToArray(), "chat:a", seq);

    private static List<long> ReadAll(OutboundQueue queue)
    {
        var seqs = new List<long>();
        while (queue.TryRead(out var frame))
        {
            seqs.Add(frame.Seq);
        }
        return seqs;
    }

    private sealed class TestConnection(int maxQueuedFrames)
        : RealtimeConnection("test", new RealtimeUser("u", "u", new ChannelPermissions("u", ["*"], ["*"])), new ConnectionLimitsOptions { MaxQueuedFrames = maxQueuedFrames })
    {
        public int SlowConsumerCalls { get; private set; }

        protected override void OnSlowConsumer() => SlowConsumerCalls++;
    }
}
