using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using RealtimeAspire.Client;
using RealtimeAspire.ConnectionService.Tests.Clients;
using RealtimeAspire.Testing;
using Xunit.Abstractions;

namespace RealtimeAspire.Reliability.Tests.Storms;

/// <summary>
/// Issue #15's reconnect storm: 5,000 .NET clients through the edge, each subscribed to one of 50 channels under a
/// small acknowledged load; kill -9 of every replica drops them all at once. Every client must come back and resume
/// with nothing lost or doubled. Measured: the peak connect attempts per second at the edge and the time until all
/// resumed, with the client's full-jitter backoff and without it (<see cref="RealtimeClientOptions.BackoffJitter"/>).
/// </summary>
[Collection(nameof(ReconnectStormCollection))]
public sealed class ReconnectStormTests(ReconnectStormTopology fixture, ITestOutputHelper output)
{
    private const int Clients = 5_000;
    private const int Channels = 50;
    private const int ConnectsAtATime = 100;
    private const double PublishesPerSecond = 20;
    private const int MaxPublishes = 4_000;
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LoadBeforeFault = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan LoadAfterResume = TimeSpan.FromSeconds(3);
    // Bounds on a loaded 2-core machine; what is asserted is that all resumed and nothing was lost, not how fast.
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(240);
    private static readonly TimeSpan ResumeTimeout = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_client_dropped_by_a_kill_of_every_replica_resumes_with_nothing_lost(bool jitter)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var channels = Enumerable.Range(0, Channels).Select(c => $"feed:storm-{run}-{c}").ToArray();
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = int.MaxValue }) { Timeout = Timeout.InfiniteTimeSpan };
        var tokens = await TokensAsync(http, run);
        var subscribers = new List<StormSubscriber>(Clients);
        await using var publisher = new RealtimeClient(Options(await Tokens.ForAsync(fixture.Replica(0), $"storm-{run}-publisher"), jitter), http);
        try
        {
            var started = Stopwatch.StartNew();
            for (var i = 0; i < Clients; i++)
            {
                subscribers.Add(new StormSubscriber($"client-{i}", channels[i % Channels], Options(tokens[i], jitter), http));
                if (i % ConnectsAtATime == ConnectsAtATime - 1)
                {
                    // Connect in steps, as users arrive: the storm under test is the reconnect, not the first connect.
                    await BoundedWait.UntilAsync(() => Task.FromResult(subscribers.All(s => s.ConnectedAfter(0) is not null)), ConnectTimeout,
                        $"clients {i + 1 - ConnectsAtATime}..{i} connected");
                }
            }
            await publisher.ConnectAsync();
            // Every subscription is live once each subscriber has a message of its channel: the audit starts there.
            var primer = new AckLog();
            foreach (var channel in channels)
            {
                var ack = await publisher.PublishAsync(channel, new { primer = true });
                primer.Add(channel, ack.Seq);
            }
            await BoundedWait.UntilAsync(() => Task.FromResult(subscribers.All(s => s.ReceivedCount > 0)), DeliveryTimeout,
                "every subscriber to receive its channel's first message",
                describe: () => Task.FromResult($"{subscribers.Count(s => s.ReceivedCount == 0)} without"));
            output.WriteLine($"{Clients} clients connected and subscribed in {started.Elapsed.TotalSeconds:0.0} s");

            var acked = new AckLog();
            using var loadStop = new CancellationTokenSource();
            var load = PublishAsync(publisher, channels, acked, loadStop.Token);
            await BoundedWait.UntilAsync(() => Task.FromResult(acked.Count >= PublishesPerSecond * LoadBeforeFault.TotalSeconds), DeliveryTimeout, "the load to run before the fault");

            var killedAt = Stopwatch.GetTimestamp();
            for (var r = 0; r < ReconnectStormTopology.Replicas; r++)
            {
                fixture.Topology.Kill($"connection-service-{r}");
            }
            await BoundedWait.UntilAsync(() => Task.FromResult(subscribers.All(s => s.ConnectedAfter(killedAt) is not null)), ResumeTimeout,
                "every client connected again after the kill",
                describe: () => Task.FromResult($"{subscribers.Count(s => s.ConnectedAfter(killedAt) is null)} of {Clients} not back; {fixture.Topology.Describe()}"),
                pause: TimeSpan.FromMilliseconds(250));
            var resumed = subscribers.Max(s => s.ConnectedAfter(killedAt)!.Value);
            var ackedBeforeResume = acked.Count;
            await BoundedWait.UntilAsync(() => Task.FromResult(acked.Count >= ackedBeforeResume + PublishesPerSecond * LoadAfterResume.TotalSeconds),
                DeliveryTimeout, "the load to run after every client resumed");
            await loadStop.CancelAsync();
            await load;

            await BoundedWait.UntilAsync(() => Task.FromResult(subscribers.All(s => acked.MissingAt(s) == 0)), DeliveryTimeout,
                "every acknowledged message at every subscriber of its channel",
                describe: () => Task.FromResult($"{subscribers.Count(s => acked.MissingAt(s) > 0)} subscribers still missing some"));

            var report = StormReport.Of(jitter, subscribers, acked, killedAt, resumed);
            output.WriteLine(StormReport.Header);
            output.WriteLine(report.Line);
            output.WriteLine(report.Details);
            Assert.Equal(0, report.Lost);
            Assert.Equal(0, report.Duplicates);
            Assert.Equal(0, report.OutOfOrder);
            Assert.All(subscribers, s => Assert.Null(s.Ended));
            await fixture.WaitForReplicasAsync(ResumeTimeout);
        }
        finally
        {
            await Parallel.ForEachAsync(subscribers, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (s, _) => await s.DisposeAsync());
        }
    }

    private RealtimeClientOptions Options(string token, bool jitter) => new()
    {
        EdgeUrl = fixture.EdgeUrl,
        Token = token,
        // One transport: every attempt is one request at the edge, so attempts are counted exactly.
        Transports = [RealtimeTransport.WebSocket],
        BackoffJitter = jitter,
        // The client's default backoff (500 ms base, 15 s ceiling) is what is measured.
    };

    /// <summary>One user per client, as 5,000 people would be: the edge's per-user connect bucket applies to each alone.</summary>
    private async Task<string[]> TokensAsync(HttpClient http, string run)
    {
        var tokens = new string[Clients];
        await Parallel.ForAsync(0, Clients, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            using var response = await http.PostAsJsonAsync(new Uri(fixture.Replica(i % ReconnectStormTopology.Replicas), "/api/dev/token"), new { user = $"storm-{run}-{i}" }, ct);
            response.EnsureSuccessStatusCode();
            tokens[i] = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("token").GetString()!;
        });
        return tokens;
    }

    /// <summary>Publishes round-robin over the channels at <see cref="PublishesPerSecond"/>; only acknowledged publishes count.</summary>
    private static async Task PublishAsync(RealtimeClient publisher, string[] channels, AckLog acked, CancellationToken stop)
    {
        var paced = Stopwatch.StartNew();
        for (var k = 0; k < MaxPublishes && !stop.IsCancellationRequested; k++)
        {
            var channel = channels[k % channels.Length];
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                timeout.CancelAfter(PublishTimeout);
                var ack = await publisher.PublishAsync(channel, new { k }, timeout.Token);
                acked.Add(channel, ack.Seq);
            }
            catch (Exception ex) when (ex is RealtimeException or OperationCanceledException)
            {
                // Not acknowledged (the replicas are down, or the wait ran out): not part of the audit.
            }
            var due = TimeSpan.FromSeconds((k + 1) / PublishesPerSecond) - paced.Elapsed;
            if (due > TimeSpan.Zero && !stop.IsCancellationRequested)
            {
                // Pacing the load, not synchronisation.
                try
                {
                    await Task.Delay(due, stop);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
    }
}

/// <summary>The acknowledged publishes, by channel: their seqs.</summary>
public sealed class AckLog
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<long>> _seqs = new(StringComparer.Ordinal);
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Add(string channel, long seq)
    {
        _seqs.GetOrAdd(channel, _ => []).Add(seq);
        Interlocked.Increment(ref _count);
    }

    public IReadOnlyCollection<long> Of(string channel) => _seqs.TryGetValue(channel, out var seqs) ? seqs : [];

    /// <summary>Acknowledged messages of <paramref name="subscriber"/>'s channel it has not received.</summary>
    public int MissingAt(StormSubscriber subscriber)
    {
        var received = subscriber.Received.ToHashSet();
        return Of(subscriber.Channel).Count(seq => !received.Contains(seq));
    }
}

/// <summary>The storm's report line: <c>fault, load, acked, lost, dup, recovery s</c> plus the connect rates.</summary>
public sealed record StormReport(bool Jitter, int Acked, int Lost, int Duplicates, int OutOfOrder, double RecoverySeconds, int PeakAttemptsPerSecond, int PeakConnectsPerSecond, int Attempts, string Details)
{
    public const string Header = "fault, load, acked, lost, dup, recovery s, peak connect attempts/s, peak connects/s, attempts";

    public string Line => string.Create(CultureInfo.InvariantCulture,
        $"kill -9 of every replica ({(Jitter ? "jitter on" : "jitter off")}), 5000 clients × 50 channels 20 msg/s, {Acked}, {Lost}, {Duplicates}, {RecoverySeconds:0.0}, {PeakAttemptsPerSecond}, {PeakConnectsPerSecond}, {Attempts}");

    public static StormReport Of(bool jitter, IReadOnlyList<StormSubscriber> subscribers, AckLog acked, long killedAt, long resumed)
    {
        int lost = 0, duplicates = 0, outOfOrder = 0, total = 0;
        foreach (var subscriber in subscribers)
        {
            var received = subscriber.Received;
            var seqs = acked.Of(subscriber.Channel);
            var set = received.ToHashSet();
            lost += seqs.Count(s => !set.Contains(s));
            duplicates += received.Count - set.Count;
            outOfOrder += received.Zip(received.Skip(1)).Count(p => p.Second <= p.First);
            total += seqs.Count;
        }
        var attempts = subscribers.SelectMany(s => s.AttemptsAfter(killedAt)).ToList();
        var connects = subscribers.Select(s => s.ConnectedAfter(killedAt)!.Value).ToList();
        var perSecond = (List<long> times) => times.Count == 0 ? 0 : times.GroupBy(t => (t - killedAt) / Stopwatch.Frequency).Max(g => g.Count());
        var recovery = (resumed - killedAt) / (double)Stopwatch.Frequency;
        var byAttempts = subscribers.GroupBy(s => s.AttemptsAfter(killedAt).Count()).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}");
        var details = string.Create(CultureInfo.InvariantCulture,
            $"  acked {acked.Count} ({total} deliveries checked over {subscribers.Count} subscribers); out of order {outOfOrder}; attempts per client (attempts: clients): {string.Join(", ", byAttempts)}; " +
            $"connect attempts per second after the kill: {string.Join(" ", attempts.GroupBy(t => (t - killedAt) / Stopwatch.Frequency).OrderBy(g => g.Key).Select(g => $"{g.Key}s:{g.Count()}"))}");
        return new StormReport(jitter, acked.Count, lost, duplicates, outOfOrder, recovery, perSecond(attempts), perSecond(connects), attempts.Count, details);
    }
}
