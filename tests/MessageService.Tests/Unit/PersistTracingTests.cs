using System.Diagnostics;
using RealtimeAspire.MessageService.Persistence;

namespace RealtimeAspire.MessageService.Tests.Unit;

public sealed class PersistTracingTests : IDisposable
{
    private const string TraceA = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private const string TraceB = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private readonly ActivitySource _source = new($"test-{Guid.NewGuid():N}");
    private readonly ActivityListener _listener;

    public PersistTracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s == _source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    private static IncomingMessage Message(long seq, string? traceParent) => new("chat:a", seq, $"m{seq}", "alice", 1, "1", traceParent, traceParent is null ? null : "k=v");

    [Fact]
    public void ASingleMessageBatchContinuesThePublishTrace()
    {
        using var activity = PersistTracing.StartBatch(_source, [Message(1, TraceA)]);

        Assert.NotNull(activity);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", activity.TraceId.ToHexString());
        Assert.Equal("b7ad6b7169203331", activity.ParentSpanId.ToHexString());
        Assert.Single(activity.Links);
        Assert.Equal(ActivityKind.Consumer, activity.Kind);
    }

    [Fact]
    public void ABatchFromSeveralTracesLinksEachWithoutAParent()
    {
        using var activity = PersistTracing.StartBatch(_source, [Message(1, TraceA), Message(2, TraceB), Message(3, null), Message(4, "garbage")]);

        Assert.NotNull(activity);
        Assert.Equal(default, activity.ParentSpanId);
        Assert.Equal(["0af7651916cd43dd8448eb211c80319c", "4bf92f3577b34da6a3ce929d0e0e4736"], activity.Links.Select(l => l.Context.TraceId.ToHexString()));
        Assert.Equal(4, activity.GetTagItem("messaging.batch.message_count"));
    }

    public void Dispose()
    {
        _listener.Dispose();
        _source.Dispose();
    }
}
