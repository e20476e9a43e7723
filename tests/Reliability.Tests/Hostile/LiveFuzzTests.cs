using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using RealtimeAspire.ConnectionService.Tests.Clients;
using Xunit.Abstractions;

namespace RealtimeAspire.Reliability.Tests.Hostile;

/// <summary>
/// The fuzzers against the live replica, directly and through the edge: every fuzzed request gets a documented answer —
/// an <c>error</c> frame with a documented code (and the request's <c>id</c> when it had one), a ProblemDetails 4xx, or a
/// documented close code with its reason — never a 500, a hang or a silently dropped request, while a well-behaved
/// client keeps publishing and receiving.
/// </summary>
[Collection(nameof(HostileCollection))]
public sealed class LiveFuzzTests(HostileTopology topology, ITestOutputHelper output)
{
    // A fuzzed publish may nest its data up to the replica's reader limit (64); the message frame and the poll batch
    // wrap it two levels deeper, so the test's reader must allow more than the server's.
    private static readonly JsonDocumentOptions s_answers = new() { MaxDepth = 128 };

    private const int PingEvery = 50;

    [Theory]
    [InlineData("replica", 2000)]
    [InlineData("edge", 500)]
    public async Task EveryFuzzedWebSocketFrameGetsADocumentedAnswer(string through, int shortCases)
    {
        var fuzzer = $"websocket-frames-{through}";
        var service = through == "edge" ? topology.Edge : topology.Replica;
        var random = FuzzSettings.RandomFor(fuzzer);
        var user = $"fuzzer-{Guid.NewGuid():N}";
        var grammar = new FrameGrammar(random, user);
        var mutator = new FrameMutator(random);
        var cases = FuzzSettings.Cases(shortCases);
        await using var bystander = await WellBehavedClient.StartAsync(topology.Replica, $"bystander-{Guid.NewGuid():N}");
        await using var socket = await RealtimeSocket.ConnectAsync(service, HostileTopology.Token(user));
        var expectedIds = new Dictionary<long, string>();
        var (notUtf8, errors, answered) = (0, 0, 0);
        // Far from any id the fuzzer writes, so that a fuzzed ping's pong is never taken for ours.
        var nextPing = -7_000_000_000_000L;
        for (var i = 0; i < cases; i++)
        {
            var input = mutator.Mutate(grammar.Frame(1_000_000 + i));
            if (!input.IsValidUtf8)
            {
                // Not sent here: the runtime's WebSocket closes on it by itself, before anything still queued for the
                // client, and at times without its close frame (1006): docs/reliability.md, "Open". The parser fuzzer
                // and LimitsAndBadInputTests.InvalidUtf8ClosesWith1007 cover such frames.
                notUtf8++;
                continue;
            }
            await socket.SendRawAsync(input.Bytes);
            if (ReferenceJson.AnsweredId(input.Bytes) is { } id)
            {
                expectedIds[id] = $"{FuzzSettings.Replay(fuzzer, i)} {input}";
            }
            if (i % PingEvery == PingEvery - 1)
            {
                await PingAsync(socket, nextPing--, fuzzer, i);
                answered += DrainAnswers(socket, expectedIds, fuzzer, i, ref errors);
            }
        }
        // Publishes are acknowledged once Kafka has them, in any order: wait (bounded) for the last answers.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (expectedIds.Count > 0 && DateTime.UtcNow < deadline)
        {
            await PingAsync(socket, nextPing--, fuzzer, cases);
            answered += DrainAnswers(socket, expectedIds, fuzzer, cases, ref errors);
        }
        Assert.True(expectedIds.Count == 0, $"{expectedIds.Count} requests never answered, e.g. {string.Join("\n", expectedIds.Values.Take(5))}");
        var roundTrips = await bystander.StopAsync();
        output.WriteLine($"{fuzzer}: seed {FuzzSettings.Seed}, {cases} frames, {answered} answers to requests with an id, {errors} error frames, {notUtf8} not UTF-8 (not sent), bystander {roundTrips} round trips");
    }

    [Theory]
    [InlineData("replica", 300)]
    [InlineData("edge", 100)]
    public async Task EveryFuzzedLongPollAndSseQueryGetsAStreamOrProblemDetails(string through, int shortCases)
    {
        var fuzzer = $"stream-queries-{through}";
        var service = through == "edge" ? topology.Edge : topology.Replica;
        var random = FuzzSettings.RandomFor(fuzzer);
        var grammar = new PositionGrammar(random);
        var user = $"query-fuzzer-{Guid.NewGuid():N}";
        var token = HostileTopology.Token(user);
        var cases = FuzzSettings.Cases(shortCases);
        var inputs = Enumerable.Range(0, cases).Select(i =>
        {
            var channels = grammar.Channels(user);
            var (list, listMutation) = random.Next(3) == 0 ? grammar.MutateChannels(channels) : (string.Join(',', channels), "valid");
            var (position, tokenMutation) = random.Next(5) == 0 ? (grammar.ValidToken(channels), "valid") : grammar.MutateToken(channels);
            var raw = random.Next(10) == 0 ? RawQueryTail(random) : "";
            var transport = random.Next(3) switch { 0 => "sse-header", 1 => "sse-query", _ => "poll" };
            return (Index: i, Transport: transport, List: list, Position: position, Raw: raw, What: $"{transport}, channels {listMutation}, position {tokenMutation}{(raw.Length > 0 ? ", raw " + raw : "")}");
        }).ToArray();
        await using var bystander = await WellBehavedClient.StartAsync(topology.Replica, $"bystander-{Guid.NewGuid():N}");
        using var http = new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromSeconds(30) };
        var counts = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        await Parallel.ForEachAsync(inputs, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (input, _) =>
        {
            var answer = await AskAsync(http, token, input.Transport, input.List, input.Position, input.Raw);
            Assert.True(answer.Violation is null, $"{FuzzSettings.Replay(fuzzer, input.Index)} {input.What}: channels='{input.List}' position='{input.Position}': {answer.Violation}");
            counts.AddOrUpdate(answer.Kind, 1, (_, n) => n + 1);
        });
        var roundTrips = await bystander.StopAsync();
        output.WriteLine($"{fuzzer}: seed {FuzzSettings.Seed}, {cases} requests, {string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"))}, bystander {roundTrips} round trips");
    }

    private static string RawQueryTail(Random random)
    {
        string[] tails = ["&channels=chat:dup", "&cursor=", "&cursor=%FF%FE", "&channels=%C3%28", "&lastEventId=%00", "&x=%", "&x=%zz", "&access_token=", "&channels=" + new string('a', 4000)];
        return tails[random.Next(tails.Length)];
    }

    /// <summary>One request and what came back: a poll batch, an SSE stream's first event, or a refusal that must be ProblemDetails.</summary>
    private static async Task<(string Kind, string? Violation)> AskAsync(HttpClient http, string token, string transport, string list, string position, string raw)
    {
        var path = transport == "poll" ? "/connect/poll" : "/connect/sse";
        var query = $"?channels={Uri.EscapeDataString(list)}&access_token={token}";
        if (transport == "poll")
        {
            query += $"&cursor={Uri.EscapeDataString(position)}";
        }
        else if (transport == "sse-query" || position.Any(c => c > 127 || char.IsControl(c)))
        {
            query += $"&lastEventId={Uri.EscapeDataString(position)}";
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, path + query + raw);
        if (transport == "sse-header" && !query.Contains("lastEventId", StringComparison.Ordinal))
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", position);
        }
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return ($"{(int)response.StatusCode}", await DocumentedAnswers.ProblemViolationAsync(response));
        }
        if (transport == "poll")
        {
            var batch = JsonDocument.Parse(await response.Content.ReadAsStringAsync(), s_answers).RootElement;
            var violation = batch.TryGetProperty("cursor", out _) && batch.TryGetProperty("events", out var events)
                ? events.EnumerateArray().Select(DocumentedAnswers.FrameViolation).FirstOrDefault(v => v is not null)
                : $"not a poll batch: {batch}";
            return ("200 poll", violation);
        }
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            return ("200", $"an SSE answer of type {response.Content.Headers.ContentType}");
        }
        using var stream = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        // The stream's first event is the welcome; a refused position is an error event right after it.
        while (await stream.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var frame = JsonDocument.Parse(line["data: ".Length..], s_answers).RootElement;
                return ("200 sse", frame.GetProperty("type").GetString() == "welcome" ? null : $"first event {frame}");
            }
        }
        return ("200 sse", "the stream ended before its welcome");
    }

    private static async Task PingAsync(RealtimeSocket socket, long id, string fuzzer, int caseIndex)
    {
        await socket.SendAsync(new { type = "ping", id });
        try
        {
            await socket.NextAsync(f => f.GetProperty("type").GetString() == "pong" && f.TryGetProperty("id", out var i) && i.GetInt64() == id, TimeSpan.FromSeconds(20));
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            Assert.Fail($"{FuzzSettings.Replay(fuzzer, caseIndex)} no pong: {ex.Message}");
        }
    }

    /// <summary>Takes every frame received so far: each must be documented; answers strike their request off.</summary>
    private static int DrainAnswers(RealtimeSocket socket, Dictionary<long, string> expectedIds, string fuzzer, int caseIndex, ref int errors)
    {
        var answered = 0;
        while (socket.TryTakeQueued(out var frame))
        {
            Assert.True(DocumentedAnswers.FrameViolation(frame) is not { } violation, $"{FuzzSettings.Replay(fuzzer, caseIndex)} {DocumentedAnswers.FrameViolation(frame)}");
            var type = frame.GetProperty("type").GetString();
            errors += type == "error" ? 1 : 0;
            if (type is "ack" or "error" or "pong" && frame.TryGetProperty("id", out var id) && id.TryGetInt64(out var value) && expectedIds.Remove(value))
            {
                answered++;
            }
        }
        return answered;
    }
}
