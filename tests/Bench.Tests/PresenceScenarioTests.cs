using System.Diagnostics;
using System.Text;
using System.Text.Json;
using RealtimeAspire.Bench.Cli;
using RealtimeAspire.Bench.Clients;
using RealtimeAspire.Bench.Metrics;
using RealtimeAspire.Bench.Reporting;
using RealtimeAspire.Bench.Scenarios;

namespace RealtimeAspire.Bench.Tests;

public class PresenceScenarioTests
{
    private const string Named = """{"type":"presence","channel":"chat:a","count":12,"joined":[{"user":"alice","name":"Alice"},{"user":"carol","name":"Carol"}],"left":[{"user":"bob","name":"Bob"}]}""";
    private const string Summary = """{"type":"presence","channel":"chat:a","count":10001,"joined":[],"left":[],"summary":{"joined":37,"left":2}}""";
    // The protocol before summaries (86b07cc): no count.
    private const string Uncounted = """{"type":"presence","channel":"chat:a","joined":[{"user":"u1","name":"U1"}],"left":[]}""";

    private static ServerFrame Frame(string json) => ServerFrame.Parse(Encoding.UTF8.GetBytes(json)) with { Bytes = json.Length };

    [Fact]
    public void PresenceDefaultsAreTheIssuesStorm()
    {
        var o = BenchArguments.Parse(["presence"]).Options!;
        Assert.Equal((10_000, 200, true, 2.0, 120.0, false, false), (o.Members, o.Concurrency, o.Leave, o.QuietSeconds, o.SettleTimeoutSeconds, o.Reference, o.SignalR));
        Assert.Equal(10, BenchArguments.Parse(["chat"]).Options!.Members);
        var given = BenchArguments.Parse(["presence", "--members", "2000", "--concurrency", "50", "--leave", "off", "--quiet", "3", "--settle-timeout", "60", "--via", "edge", "--signalr", "off"]).Options!;
        Assert.Equal((2000, 50, false, 3.0, 60.0, Via.Edge), (given.Members, given.Concurrency, given.Leave, given.QuietSeconds, given.SettleTimeoutSeconds, given.Via));
    }

    [Fact]
    public void PresenceOptionsAreValidatedAndReferencesRefused()
    {
        var errors = BenchArguments.Parse(["presence", "--members", "20000", "--concurrency", "0", "--leave", "maybe", "--quiet", "0", "--settle-timeout", "x", "--reference", "on", "--signalr", "on"]).Errors;
        Assert.Contains(errors, e => e == "--members must be between 1 and 18000, got 20000");
        Assert.Contains(errors, e => e == "--concurrency must be between 1 and 10000, got 0");
        Assert.Contains(errors, e => e.StartsWith("--leave must be one of on|off", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("--quiet must be between 0.1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e == "--settle-timeout must be a number, got 'x'");
        Assert.Contains(errors, e => e == "--reference does not apply to presence: no reference server has presence");
        Assert.Contains(errors, e => e == "--signalr does not apply to presence: no reference server has presence");
        // The other scenarios keep their bound.
        Assert.Contains(BenchArguments.Parse(["chat", "--members", "10001"]).Errors, e => e.StartsWith("--members must be between 1 and 10000", StringComparison.Ordinal));
    }

    [Fact]
    public void NamedPresenceFrameCountsItsUsersAndCount()
    {
        var frame = Frame(Named);
        Assert.Equal(FrameType.Presence, frame.Type);
        Assert.Equal(new PresenceFigures(12, 2, 1, IsSummary: false), frame.Presence);
    }

    [Fact]
    public void SummaryFrameIsASummaryWithItsCounts()
    {
        Assert.Equal(new PresenceFigures(10001, 37, 2, IsSummary: true), Frame(Summary).Presence);
    }

    [Fact]
    public void FrameOfTheProtocolBeforeSummariesHasNoCount()
    {
        Assert.Equal(new PresenceFigures(-1, 1, 0, IsSummary: false), Frame(Uncounted).Presence);
    }

    [Fact]
    public void OtherFramesCarryNoPresenceFigures()
    {
        var message = ServerFrame.Parse("""{"type":"message","channel":"chat:a","count":3,"joined":[1],"data":{"s":1,"t":2}}"""u8);
        Assert.Equal((FrameType.Message, default(PresenceFigures)), (message.Type, message.Presence));
    }

    [Fact]
    public void RecorderCountsFramesBytesAndKindsPerMember()
    {
        var recorder = new PresenceRecorder(3);
        recorder.Start(target: 10001);
        recorder.Record(0, Frame(Named), Stopwatch.GetTimestamp());
        recorder.Record(0, Frame(Summary), Stopwatch.GetTimestamp());
        recorder.Record(2, Frame(Summary), Stopwatch.GetTimestamp());
        var totals = recorder.Totals([true, true, true], changes: 2);
        Assert.Equal((3L, (long)(Named.Length + (2 * Summary.Length)), 1L, 2L), (totals.Frames, totals.Bytes, totals.NamedFrames, totals.SummaryFrames));
        Assert.Equal((2L, (long)(Named.Length + Summary.Length)), (totals.MaxFramesPerMember, totals.MaxBytesPerMember));
        Assert.Equal(((long?)10001, (long?)12), recorder.Counts);
        Assert.NotNull(recorder.CountReachedSeconds);
        Assert.NotNull(recorder.SecondsSinceStart(recorder.LastFrameAt));

        // A new phase starts from nothing; a member closed before it is left out of the per-member figures.
        recorder.Start(target: null);
        recorder.Record(1, Frame(Summary), Stopwatch.GetTimestamp());
        var leave = recorder.Totals([false, true, true], changes: 3);
        Assert.Equal((1L, 0.5, 1L), (leave.Frames, leave.MeanFramesPerMember, leave.MaxFramesPerMember));
        Assert.Null(recorder.CountReachedSeconds);
    }

    [Fact]
    public void WithoutCountsTheTargetIsReachedByAMembersTallyOfAnnouncedJoins()
    {
        var recorder = new PresenceRecorder(2);
        recorder.Start(target: 2);
        recorder.Record(0, Frame(Uncounted), Stopwatch.GetTimestamp());
        recorder.Record(1, Frame(Uncounted), Stopwatch.GetTimestamp());
        Assert.Null(recorder.CountReachedSeconds); // each member was told of one join
        recorder.Record(0, Frame(Uncounted), Stopwatch.GetTimestamp());
        Assert.NotNull(recorder.CountReachedSeconds);
        Assert.Equal(((long?)null, (long?)null), recorder.Counts);
    }

    [Fact]
    public void TotalsArePerChangeAndPerMember()
    {
        var totals = PresenceTotals.From([10, 30, 20], [1000, 5000, 3000], named: 40, summaries: 20, changes: 4);
        Assert.Equal(new PresenceTotals(60, 9000, 40, 20, 15, 2250, 20, 30, 3000, 5000), totals);
        Assert.Equal(new PresenceTotals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0), PresenceTotals.From([], [], 0, 0, 0));
        Assert.Throws<ArgumentException>(() => PresenceTotals.From([1], [], 0, 0, 1));
    }

    private static PresencePhase Phase(string phase, double storm, long bytes, long apiCount = 0, string? failure = null) =>
        new(phase, 4, storm, 1.5, 2, 3, 4, apiCount, 4, 1, PresenceTotals.From([bytes / 100], [bytes], bytes / 100, 0, 4), failure);

    [Fact]
    public void ReportHasThePhasesMediansAndTheFailure()
    {
        PresenceRun[] runs =
        [
            new("product (direct)", "chat:a", 4, 4, 0, 100, 2, Phase("join", 1, 1000, 4), Phase("leave", 2, 300)),
            new("product (direct)", "chat:b", 4, 4, 0, 100, 2, Phase("join", 3, 3000, 3, "the presence API counts 3"), Phase("leave", 4, 500)),
            new("product (direct)", "chat:c", 4, 4, 0, 100, 2, Phase("join", 2, 2000, 4), null),
        ];
        var medians = PresenceScenario.Medians(runs);
        Assert.Equal((2.0, 2000.0, 500.0), (medians["join storm s"], medians["join bytes"], medians["join bytes per join"]));
        Assert.Equal((3.0, 400.0), (medians["leave storm s"], medians["leave bytes"]));
        Assert.Null(runs[0].Failure);
        Assert.Equal("the presence API counts 3", runs[1].Failure);
        Assert.Equal("2 of 4 members could not connect", (runs[0] with { Failed = 2 }).Failure);

        var report = new BenchReport("presence", "direct", DateTimeOffset.UnixEpoch, 2, new Dictionary<string, object> { ["members"] = 4 }, runs, [], medians);
        using var json = JsonDocument.Parse(ReportWriter.Serialize(report));
        var root = json.RootElement;
        var first = root.GetProperty("runs")[0];
        Assert.Equal(250, first.GetProperty("join").GetProperty("presence").GetProperty("bytesPerChange").GetDouble());
        Assert.Equal("leave", first.GetProperty("leave").GetProperty("phase").GetString());
        Assert.False(first.TryGetProperty("failure", out _)); // nulls are left out
        Assert.Equal("the presence API counts 3", root.GetProperty("runs")[1].GetProperty("failure").GetString());
        Assert.Equal(2000, root.GetProperty("medians").GetProperty("join bytes").GetDouble());
        Assert.Empty(root.GetProperty("comparisons").EnumerateArray());
    }
}
