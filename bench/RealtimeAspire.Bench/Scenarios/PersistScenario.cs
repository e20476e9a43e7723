using System.Diagnostics;
using RealtimeAspire.Bench.Clients;
using RealtimeAspire.Bench.Metrics;
using RealtimeAspire.Bench.Reporting;
using RealtimeAspire.Bench.Topology;

namespace RealtimeAspire.Bench.Scenarios;

/// <summary>
/// P publishers push N durable messages (pipelined, up to 64 unacknowledged each) over C channels as fast as the
/// product takes them; Message.Service's <c>/metrics</c> is sampled every 250 ms for
/// <c>realtime_messages_persisted_total</c> (rows newly written to PostgreSQL's <c>messages</c> table) and
/// <c>realtime_messages_consumer_lag</c> (all partitions), until everything acknowledged is persisted and lag is 0.
/// </summary>
internal static class PersistScenario
{
    private const int Window = 64;
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan PersistTimeout = TimeSpan.FromSeconds(120);

    public static async Task<(IReadOnlyList<object>, IReadOnlyList<Comparison>)> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var o = context.Options;
        var target = context.Product();
        var metricsUri = new Uri(AppHostTopology.EndpointOf(context.Topology.Find("message-service")), "/metrics");
        var channels = Enumerable.Range(0, o.Channels).Select(c => $"feed:bench-persist-{context.RunId}-{c}").ToArray();
        Console.WriteLine($"[{target.Name}] {o.Messages} messages, {o.Publishers} publishers, {o.Channels} channels, {o.Size} B");
        var tokens = await context.Tokens.IssueManyAsync([.. Enumerable.Range(0, o.Publishers).Select(i => $"bench-persist-{context.RunId}-{i}")], cancellationToken);

        var recorder = new DeliveryRecorder(o.Messages);
        var windows = Enumerable.Range(0, o.Publishers).Select(_ => new SemaphoreSlim(Window, Window)).ToArray();
        long acked = 0, refused = 0;
        void OnFrame(BenchSocket socket, in ServerFrame frame, long receivedAt)
        {
            if (frame.Type is FrameType.Ack or FrameType.Error && socket.State is SemaphoreSlim window)
            {
                Interlocked.Increment(ref frame.Type == FrameType.Ack ? ref acked : ref refused);
                recorder.OnFrame(socket, frame, receivedAt);
                window.Release();
            }
        }
        await using var fleet = await SocketFleet.OpenAsync(o.Publishers, o.Publishers,
            (i, ct) => BenchSocket.ConnectAsync(target.WebSocketUri(i), tokens[i], OnFrame, windows[i], ct), cancellationToken);

        // Prime each channel (its first publish recovers the sequence counter) and let those rows land first.
        var primer = new DeliveryRecorder(0);
        foreach (var socket in fleet.Sockets)
        {
            socket!.Handler = primer.OnFrame;
        }
        await ChannelPrimer.PrimeAsync([.. channels.Select((c, i) => (fleet.Sockets[i % o.Publishers]!, c))], o.Size, cancellationToken);
        foreach (var socket in fleet.Sockets)
        {
            socket!.Handler = OnFrame;
        }
        await Task.Delay(2000, cancellationToken);
        var baseline = await ScrapeAsync(context.Http, metricsUri, cancellationToken);
        var samples = new List<PersistSample>();
        var clock = Stopwatch.StartNew();
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = SampleAsync(context.Http, metricsUri, baseline.Persisted, clock, samples, sampling.Token);

        long next = 0;
        await Parallel.ForAsync(0, o.Publishers, cancellationToken, async (p, ct) =>
        {
            var socket = fleet.Sockets[p]!;
            while (true)
            {
                var id = Interlocked.Increment(ref next);
                if (id > o.Messages)
                {
                    return;
                }
                await windows[p].WaitAsync(ct);
                var sentAt = Stopwatch.GetTimestamp();
                recorder.Published(id, sentAt);
                await socket.SendAsync(Payloads.ProductPublish(id, channels[id % channels.Length], id, sentAt, o.Size), ct);
            }
        });
        foreach (var window in windows)
        {
            for (var i = 0; i < Window; i++)
            {
                await window.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }
        }
        var publishSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"  {acked} acked, {refused} refused in {publishSeconds:0.0} s; waiting for PostgreSQL");

        while (clock.Elapsed < publishSeconds * TimeSpan.FromSeconds(1) + PersistTimeout)
        {
            await Task.Delay(SampleEvery, cancellationToken);
            PersistSample? last;
            lock (samples)
            {
                last = samples.Count > 0 ? samples[^1] : null;
            }
            if (last is not null && last.Persisted >= Interlocked.Read(ref acked) && last.Lag == 0)
            {
                break;
            }
        }
        await Task.Delay(SampleEvery * 2, cancellationToken);
        await sampling.CancelAsync();
        await sampler;

        var run = Summarize(target.Name, o.Publishers, o.Channels, o.Messages, acked, refused, publishSeconds, LatencySummary.From(recorder.PublishAck), samples);
        var table = new ConsoleTable("target", "acked", "publish/s", "ack p50 ms", "ack p99 ms", "persisted", "persisted/s", "peak/s (1 s)", "final lag", "lag 0 after s");
        table.Add(run.Target, run.Acked, run.PublishesPerSecond, run.PublishAck.P50Ms, run.PublishAck.P99Ms, run.Persisted, run.PersistedPerSecond,
            run.PeakPersistedPerSecond, run.FinalLag, run.SecondsToZeroLag);
        Console.WriteLine(table);
        return ([run], []);
    }

    internal static PersistRun Summarize(string target, int publishers, int channels, long requested, long acked, long refused, double publishSeconds,
        LatencySummary ack, IReadOnlyList<PersistSample> samples)
    {
        var persisted = samples.Count == 0 ? 0 : samples[^1].Persisted;
        // Persist time: from the start to the first sample holding every acknowledged message.
        var done = samples.FirstOrDefault(s => s.Persisted >= acked);
        var persistSeconds = done?.Seconds ?? (samples.Count == 0 ? 0 : samples[^1].Seconds);
        double peak = 0;
        for (var i = 0; i < samples.Count; i++)
        {
            var j = i;
            while (j < samples.Count - 1 && samples[j].Seconds - samples[i].Seconds < 1)
            {
                j++;
            }
            var span = samples[j].Seconds - samples[i].Seconds;
            if (span >= 0.9)
            {
                peak = Math.Max(peak, (samples[j].Persisted - samples[i].Persisted) / span);
            }
        }
        var zero = samples.FirstOrDefault(s => s.Persisted >= acked && s.Lag == 0);
        return new PersistRun(target, publishers, channels, requested, acked, refused, Math.Round(publishSeconds, 2),
            Math.Round(acked / Math.Max(publishSeconds, 1e-3), 0), ack, persisted, Math.Round(persistSeconds, 2),
            Math.Round(persisted / Math.Max(persistSeconds, 1e-3), 0), Math.Round(peak, 0),
            samples.Count == 0 ? 0 : samples[^1].Lag, zero?.Seconds, samples);
    }

    private static async Task SampleAsync(HttpClient http, Uri metrics, long baseline, Stopwatch clock, List<PersistSample> samples, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var (persisted, lag) = await ScrapeAsync(http, metrics, cancellationToken);
                lock (samples)
                {
                    samples.Add(new PersistSample(Math.Round(clock.Elapsed.TotalSeconds, 3), persisted - baseline, lag));
                }
                await Task.Delay(SampleEvery, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<(long Persisted, long Lag)> ScrapeAsync(HttpClient http, Uri metrics, CancellationToken cancellationToken)
    {
        var text = await http.GetStringAsync(metrics, cancellationToken);
        return ((long)PrometheusText.Sum(text, "realtime_messages_persisted_total"), (long)PrometheusText.Sum(text, "realtime_messages_consumer_lag"));
    }
}
