using System.Diagnostics;
using Xunit.Abstractions;

namespace RealtimeAspire.Pipeline.Tests;

/// <summary>
/// Issue #15, defect 8: the dev broker restarted (it comes back empty) while Message.Service had not consumed the last
/// seconds of an acknowledged load. Those records are gone from Kafka; with no later message on their channels,
/// only Redis's counter says they exist, and gap repair must bring them back from Redis history.
/// </summary>
[Collection(nameof(PipelineCollection))]
public sealed class KafkaBrokerRestartTests(PipelineFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(240);
    // Grace period (10 s) and a scan (1 s) after Message.Service runs again, with room for a loaded machine.
    private static readonly TimeSpan RepairTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task AcknowledgedMessagesTheRestartedBrokerLostAreRepairedFromRedisEvenWithNoLaterMessage()
    {
        const int channels = 4, perChannel = 60;
        var prefix = PipelineFixture.NewPrefix("chat");
        var plans = Enumerable.Range(0, channels).Select(c => new PublishPlan(fixture.Replicas[c % 3], $"{prefix}{c:00}", perChannel)).ToList();
        // Each channel's first message before the freeze: a new channel's counter is started by asking
        // Message.Service (a second publish racing the first one's claim waits for its slow path), which is frozen below.
        List<Acked> warmUpAcks;
        await using (var warmUp = await LoadPublisher.ConnectAsync([.. plans.Select(p => p with { Count = 1 })]))
        {
            using var warmUpCts = new CancellationTokenSource(LoadTimeout);
            await warmUp.RunAsync(warmUpCts.Token).WaitAsync(LoadTimeout);
            warmUpAcks = [.. warmUp.Acks];
        }
        await using var load = await LoadPublisher.ConnectAsync(plans, ratePerSecond: 10);
        var messageService = fixture.Topology.Instance(PipelineFixture.MessageServiceName);

        using var cts = new CancellationTokenSource(LoadTimeout);
        var running = load.RunAsync(cts.Token);
        await load.WaitForAcksAsync(load.Total / 2, running, LoadTimeout);
        // Message.Service falls behind (here: frozen; on a shared 2-core machine: starved): the rest of the load is
        // acknowledged by the broker and not yet consumed when the broker restarts.
        var frozenPid = messageService.ProcessId ?? throw new InvalidOperationException("message-service has no process.");
        var ackedBeforeFreeze = load.AckedCount;
        Signal(frozenPid, "STOP");
        Stopwatch repair;
        try
        {
            await running.WaitAsync(LoadTimeout);
            await fixture.Topology.Instance("kafka").RestartAsync();
            await fixture.Topology.WaitForResourceHealthyAsync("kafka", TimeSpan.FromSeconds(60));
        }
        finally
        {
            Signal(frozenPid, "CONT");
            repair = Stopwatch.StartNew();
        }

        var acks = load.Acks.Concat(warmUpAcks).ToList();
        await fixture.WaitUntilAsync(async () => await fixture.CountPersistedAsync(prefix) >= acks.Count, RepairTimeout,
            $"{acks.Count} rows", async () => $"{await fixture.CountPersistedAsync(prefix)} rows, {await fixture.CountLostAsync(prefix)} recorded lost.");
        var rows = await fixture.PersistedAsync(prefix);
        var repaired = rows.Count(r => r.Repaired);
        output.WriteLine($"froze message-service (pid {frozenPid}) at {ackedBeforeFreeze} of {acks.Count} acks, restarted kafka; " +
            $"{rows.Count} rows {repair.Elapsed.TotalSeconds:0.0} s after the thaw, {repaired} repaired from Redis history; refusals: {load.PublishFailed} publish_failed");

        PipelineAssert.AcksAreUnique(acks);
        Assert.Equal(acks.Count, rows.Count);
        PipelineAssert.EveryAckIsPersistedOnce(acks, rows);
        PipelineAssert.SequencesAreContiguous(rows);
        Assert.Equal(0, await fixture.CountLostAsync(prefix));
        // The broker really lost them (else this test proves nothing), and the repair said so.
        Assert.True(repaired > 0, "No message needed repair: the restarted broker lost nothing of the load.");
        // The resource's console reaches the test host a moment after the rows reach PostgreSQL: wait for the line.
        await messageService.WaitForLogAsync(line => line.Contains(prefix, StringComparison.Ordinal) && line.Contains("repairing the tail", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the tail repair's log line (event 205)");
    }

    /// <summary>SIGSTOP/SIGCONT through kill(1): the process keeps its sockets and state, it only stops running.</summary>
    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        if (!kill.WaitForExit(TimeSpan.FromSeconds(10)) || kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed.");
        }
    }
}
