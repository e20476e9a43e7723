using RealtimeAspire.ConnectionService.Protocol;
using RealtimeAspire.ConnectionService.Transports;
using RealtimeAspire.Contracts;
using Xunit.Abstractions;

namespace RealtimeAspire.Reliability.Tests.Hostile;

/// <summary>
/// The parsers in-process, thousands of fuzzed inputs each: every input gets a parse result or a documented error,
/// never an exception; what they do read agrees with a reference JSON parser.
/// </summary>
public sealed class ParserFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void EveryFuzzedFrameIsParsedOrRefusedWithAReasonAndTheIdItCarried()
    {
        const string fuzzer = "client-frame";
        var random = FuzzSettings.RandomFor(fuzzer);
        var grammar = new FrameGrammar(random, "fuzzer");
        var mutator = new FrameMutator(random);
        var cases = FuzzSettings.Cases(20_000);
        var (parsed, refused) = (0, 0);
        for (var i = 0; i < cases; i++)
        {
            var input = mutator.Mutate(grammar.Frame(i + 1));
            bool ok;
            ClientFrame? frame;
            string? error;
            long? id;
            try
            {
                ok = ClientFrame.TryParse(input.Bytes, out frame, out error, out id);
            }
            catch (Exception ex)
            {
                Assert.Fail($"{FuzzSettings.Replay(fuzzer, i)} ClientFrame.TryParse threw {ex.GetType().Name} ({ex.Message}) for {input}");
                return;
            }
            if (ok)
            {
                parsed++;
                Assert.True(frame is { Type: not null } && error is null, $"{FuzzSettings.Replay(fuzzer, i)} parsed without a type: {input}");
            }
            else
            {
                refused++;
                Assert.True(frame is null && !string.IsNullOrWhiteSpace(error), $"{FuzzSettings.Replay(fuzzer, i)} refused without a reason: {input}");
            }
            if (ReferenceJson.Id(input.Bytes) is { } expected)
            {
                Assert.True(expected == (ok ? frame!.Id : id), $"{FuzzSettings.Replay(fuzzer, i)} id {expected} not read (got {(ok ? frame!.Id : id)}): {input}");
            }
        }
        output.WriteLine($"client frames: seed {FuzzSettings.Seed}, {cases} cases, {parsed} parsed, {refused} refused with bad_json");
    }

    [Fact]
    public void EveryFuzzedPositionTokenIsReadExactlyOrRefusedWhole()
    {
        const string fuzzer = "position-token";
        var random = FuzzSettings.RandomFor(fuzzer);
        var grammar = new PositionGrammar(random);
        var cases = FuzzSettings.Cases(5_000);
        var (accepted, refused) = (0, 0);
        for (var i = 0; i < cases; i++)
        {
            var (token, mutation) = grammar.MutateToken(grammar.Channels("fuzzer"));
            bool ok;
            Dictionary<string, long> positions;
            try
            {
                ok = StreamPositions.TryParse(token, out positions);
            }
            catch (Exception ex)
            {
                Assert.Fail($"{FuzzSettings.Replay(fuzzer, i)} StreamPositions.TryParse threw {ex.GetType().Name} for {mutation}: {token}");
                return;
            }
            if (!ok)
            {
                refused++;
                Assert.Empty(positions);
                continue;
            }
            accepted++;
            foreach (var (channel, seq) in positions)
            {
                Assert.True(ChannelName.TryParse(channel, out _) && seq is >= 0 and <= ClientFrame.MaxPosition, $"{FuzzSettings.Replay(fuzzer, i)} accepted {channel}@{seq} from {mutation}: {token}");
            }
            // What is accepted means what it says: written out and read again, the same positions.
            Assert.True(StreamPositions.TryParse(StreamPositions.Format(positions), out var again) && again.OrderBy(p => p.Key).SequenceEqual(positions.OrderBy(p => p.Key)),
                $"{FuzzSettings.Replay(fuzzer, i)} round trip of {token}");
        }
        output.WriteLine($"position tokens: seed {FuzzSettings.Seed}, {cases} cases, {accepted} accepted, {refused} refused (400 bad_json)");
    }

    [Fact]
    public void EveryFuzzedChannelListSplitsIntoDistinctNonEmptyNames()
    {
        const string fuzzer = "channel-list";
        var random = FuzzSettings.RandomFor(fuzzer);
        var grammar = new PositionGrammar(random);
        var cases = FuzzSettings.Cases(10_000);
        for (var i = 0; i < cases; i++)
        {
            var (list, mutation) = grammar.MutateChannels(grammar.Channels("fuzzer"));
            var names = StreamPositions.ParseChannelList(list);
            Assert.True(names.All(n => n.Length > 0 && n == n.Trim()) && names.Distinct(StringComparer.Ordinal).Count() == names.Length,
                $"{FuzzSettings.Replay(fuzzer, i)} {mutation}: '{list}' → [{string.Join(" ; ", names)}]");
        }
        output.WriteLine($"channel lists: seed {FuzzSettings.Seed}, {cases} cases");
    }

    [Theory]
    [InlineData("""{"type":"\ud800","id":3}""")]
    [InlineData("""{"type":"subscribe","id":3,"channel":"chat:\udc00x"}""")]
    public void LoneSurrogateEscapesAreBadJsonWithTheIdNotAnException(string frame)
    {
        // Valid UTF-8, so the WebSocket lets it through; before the fix the parser threw and the receive loop died.
        var ok = ClientFrame.TryParse(System.Text.Encoding.UTF8.GetBytes(frame), out _, out var error, out var id);

        Assert.False(ok);
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.Equal(3, id);
    }

    [Fact]
    public void AFieldNamedByALoneSurrogateIsAnUnknownFieldAndIgnored()
    {
        var ok = ClientFrame.TryParse("""{"\ud83d":1,"type":"ping","id":3}"""u8, out var frame, out _, out _);

        Assert.True(ok);
        Assert.Equal(("ping", 3L), (frame!.Type, frame.Id!.Value));
    }

    [Fact]
    public void InvalidUtf8IsBadJsonNotAnException()
    {
        var ok = ClientFrame.TryParse([.. "{\"ty"u8, 0xC3, 0x28, .. "pe\":\"ping\",\"id\":4}"u8], out _, out var error, out _);

        Assert.False(ok);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }
}
