using System.Net;
using RealtimeAspire.Reliability.Tests.Scenario;
using RealtimeAspire.Testing;
using Xunit.Abstractions;

namespace RealtimeAspire.Reliability.Tests.Faults;

/// <summary>
/// The Kafka broker unavailable for 30 s under the load. While it is down every publish must be refused with the
/// retryable <c>publish_failed</c> (docs/protocol.md) and none acknowledged; then the broker comes back (the dev
/// broker comes back empty, so what Message.Service had not consumed yet is repaired from Redis history) and
/// everything acknowledged is persisted once. Kafka is only the durable path: meanwhile no subscriber is moved,
/// every replica and Message.Service report themselves Degraded (not Unhealthy) and stay in the edge's rotation, the
/// edge itself stays ready, history is served through it, and an ephemeral (<c>live:</c>) message on connections
/// opened during the outage is delivered (docs/edge.md, "Health and drain"; docs/message-service.md, "Health").
/// </summary>
[Collection(nameof(ReliabilityCollection))]
public sealed class KafkaBrokerTests(ReliabilityTopology topology, ITestOutputHelper output)
{
    public const string Broker = "kafka";
    public const string MessageService = "message-service";
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);

    /// <summary>An ack Kafka gave just before the stop may still be on its way to the client for this long.</summary>
    private static readonly TimeSpan AckInFlight = TimeSpan.FromSeconds(2);

    /// <summary>The replicas' Kafka check (a 3 s metadata request, probed every second) fails within this of the stop.</summary>
    private static readonly TimeSpan ReplicasNotice = TimeSpan.FromSeconds(20);

    /// <summary>Refusals the load may see while the broker is down: the retryable one, and the load's own window being full.</summary>
    private static readonly string[] OutageRefusals = ["publish_failed", AcknowledgedLoad.Skipped];

    [Fact]
    public async Task TheBrokerDownFor30SecondsRefusesPublishesWithARetryableErrorAndLosesNothingAcknowledged()
    {
        TimeSpan stopped = default, restarting = default;
        var stoppedAt = DateTime.MaxValue;
        var replicaAnswers = new Dictionary<string, (HttpStatusCode Status, string Body)>(StringComparer.Ordinal);
        var edgeAnswers = new List<(TimeSpan At, HttpStatusCode? Status)>();
        string? liveFailure = "not tried";
        (HttpStatusCode? Edge, HttpStatusCode? History) duringOutage = default;
        await new FaultScenario(topology, output).RunAsync(new Fault("Kafka broker down 30 s", async context =>
        {
            var live = await LiveDelivery.PrepareAsync(context.Reliability, "kafka-down");
            var broker = context.Topology.Instance(Broker);
            await broker.StopAsync();
            stopped = context.Clock.Elapsed;
            stoppedAt = DateTime.UtcNow;
            context.Note($"stopped {Broker} at {stopped.TotalSeconds:0.0} s");
            try
            {
                // The outage is the fault itself: it is held for its length, whatever the load does meanwhile. Inside it:
                // the replicas' answers once they noticed, the edge's routing of new clients every second, and at its end
                // (long after the edge would have acted on the replicas' health) a live message on new connections.
                await WaitUntilReplicasNoticeAsync(context, replicaAnswers);
                context.Note("replicas' /health with the broker down: " + string.Join(", ", replicaAnswers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} {(int)a.Value.Status} {a.Value.Body}")));
                await SampleEdgeRoutingAsync(context, stopped + Outage, edgeAnswers);
                liveFailure = await live.TryAsync();
                context.Note($"live: message on new connections through the edge while {Broker} was down: {liveFailure ?? "delivered"}");
                duringOutage = await EdgeAndHistoryAsync(context);
                context.Note($"while {Broker} was down: the edge's /health {duringOutage.Edge}, history through the edge {duringOutage.History}");
            }
            finally
            {
                restarting = context.Clock.Elapsed;
                await broker.StartAsync();
                context.Note($"started {Broker} at {restarting.TotalSeconds:0.0} s (an empty broker: the dev broker keeps nothing)");
            }
        })
        {
            Duration = Outage,
            IsRecoveredAsync = context => Task.FromResult(context.Topology.Instance(Broker).IsHealthy),
            AfterRecoveryAsync = context =>
            {
                var outage = (From: stopped + AckInFlight, To: restarting);
                var falseAcks = context.Load.Acks.Where(a => a.At > outage.From && a.At < outage.To).ToList();
                var refused = context.Load.Refusals.Where(r => r.At > outage.From && r.At < outage.To).ToList();
                var codes = refused.GroupBy(r => r.Code).ToDictionary(g => g.Key, g => g.Count());
                context.Note($"while down ({outage.From.TotalSeconds:0.0}–{outage.To.TotalSeconds:0.0} s): {falseAcks.Count} acks, refused "
                    + string.Join(", ", codes.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}")));
                var moved = context.Subscribers.Select(s => (s.Name, Left: s.LeftConnectedSince(stoppedAt))).Where(s => s.Left.Count > 0).ToList();
                var refusedByEdge = edgeAnswers.Where(a => a.Status != HttpStatusCode.OK).ToList();
                context.Note($"from the stop to recovery: {moved.Count} of {context.Subscribers.Count} subscribers left their connection"
                    + string.Concat(moved.Select(m => $"; {m.Name}: {string.Join(", ", m.Left.Take(3))}"))
                    + $"; the edge routed {edgeAnswers.Count - refusedByEdge.Count} of {edgeAnswers.Count} new clients (/connect/info)"
                    + string.Concat(refusedByEdge.Take(5).Select(a => $"; {a.At.TotalSeconds:0.0} s: {(a.Status is { } s ? ((int)s).ToString(System.Globalization.CultureInfo.InvariantCulture) : "no answer")}")));

                Assert.True(falseAcks.Count == 0, $"{falseAcks.Count} publishes acknowledged while the broker was down, first: {falseAcks.FirstOrDefault()}");
                Assert.True(codes.GetValueOrDefault("publish_failed") > 0, "No publish was refused with publish_failed while the broker was down.");
                Assert.All(codes.Keys, code => Assert.Contains(code, OutageRefusals));
                // Reported together: which of them failed is the diagnosis (the report line is not printed on failure).
                var wrong = new List<string>();
                if (moved.Count > 0)
                {
                    wrong.Add($"{moved.Count} subscribers left their connection while the broker was down: "
                        + string.Join("; ", moved.Select(m => $"{m.Name}: {string.Join(", ", m.Left.Take(3))}")));
                }
                wrong.AddRange(replicaAnswers.Where(a => a.Value is not (HttpStatusCode.OK, "Degraded"))
                    .Select(a => $"{a.Key}'s /health with the broker down answered {(int)a.Value.Status} {a.Value.Body}, expected 200 Degraded."));
                if (edgeAnswers.Count == 0 || refusedByEdge.Count > 0)
                {
                    wrong.Add($"The edge refused {refusedByEdge.Count} of {edgeAnswers.Count} new clients while the broker was down.");
                }
                if (duringOutage.Edge != HttpStatusCode.OK)
                {
                    wrong.Add($"The edge's own /health answered {duringOutage.Edge} while the broker was down, expected 200.");
                }
                if (duringOutage.History != HttpStatusCode.OK)
                {
                    wrong.Add($"A history request through the edge answered {duringOutage.History} while the broker was down, expected 200 (PostgreSQL serves it).");
                }
                if (liveFailure is not null)
                {
                    wrong.Add($"A live: message on new connections was not delivered while the broker was down: {liveFailure}");
                }
                Assert.True(wrong.Count == 0, string.Join("\n", wrong));
                return Task.CompletedTask;
            },
        });
    }

    /// <summary>
    /// Until every replica's and Message.Service's own <c>/health</c> no longer answers Healthy (its Kafka check
    /// failed); records the answers.
    /// </summary>
    private static async Task WaitUntilReplicasNoticeAsync(FaultContext context, Dictionary<string, (HttpStatusCode, string)> answers)
    {
        string[] replicas = [.. context.Reliability.ReplicaNames, MessageService];
        await BoundedWait.UntilAsync(async () =>
        {
            foreach (var replica in replicas.Where(r => !answers.ContainsKey(r)))
            {
                using var response = await context.Reliability.Http.GetAsync(new Uri(context.Topology.Endpoint(replica), "/health"));
                var body = await response.Content.ReadAsStringAsync();
                if (body != "Healthy")
                {
                    answers[replica] = (response.StatusCode, body);
                }
            }
            return answers.Count == replicas.Length;
        }, ReplicasNotice, "every replica's and message-service's /health to report the broker down",
            describe: () => Task.FromResult("noticed: " + string.Join(", ", answers.Keys)), pause: TimeSpan.FromMilliseconds(250));
    }

    /// <summary>
    /// A new client (no affinity) asks the edge for a replica once a second until <paramref name="until"/> on the
    /// scenario's clock: each answer is whether the edge routed it (200) or had no replica for it (503).
    /// </summary>
    private static async Task SampleEdgeRoutingAsync(FaultContext context, TimeSpan until, List<(TimeSpan At, HttpStatusCode? Status)> answers)
    {
        using var every = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (context.Clock.Elapsed < until && await every.WaitForNextTickAsync())
        {
            var at = context.Clock.Elapsed;
            try
            {
                using var response = await context.Reliability.Http.GetAsync(new Uri(context.Reliability.EdgeUrl, "/connect/info"));
                answers.Add((at, response.StatusCode));
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                answers.Add((at, null));
            }
        }
    }

    /// <summary>The edge's own readiness, and a history page of one of the load's channels through the edge; null where nothing answered.</summary>
    private static async Task<(HttpStatusCode? Edge, HttpStatusCode? History)> EdgeAndHistoryAsync(FaultContext context)
    {
        var http = context.Reliability.Http;
        using var history = new HttpRequestMessage(HttpMethod.Get, new Uri(context.Reliability.EdgeUrl, $"/api/channels/{context.Load.Channels[0]}/messages?limit=1"));
        history.Headers.Authorization = new("Bearer", await context.Reliability.TokenAsync($"history-{Guid.NewGuid():N}"));
        return (await StatusAsync(() => http.GetAsync(new Uri(context.Reliability.EdgeUrl, "/health"))), await StatusAsync(() => http.SendAsync(history)));
    }

    private static async Task<HttpStatusCode?> StatusAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            using var response = await send();
            return response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }
}
