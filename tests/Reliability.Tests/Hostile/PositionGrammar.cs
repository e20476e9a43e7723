using System.Globalization;
using System.Text;

namespace RealtimeAspire.Reliability.Tests.Hostile;

/// <summary>
/// SSE and long-poll inputs by the grammar of docs/protocol.md — <c>?channels=a,b</c> and a position token
/// <c>chat:a@41|feed:b@7</c> (cursor, <c>Last-Event-ID</c>, <c>lastEventId</c>) — valid, then broken.
/// </summary>
public sealed class PositionGrammar(Random random)
{
    private static readonly string[] OddSequences =
    [
        "-1", "", "+1", "1.5", "1e3", "9007199254740991", "9007199254740992", "9223372036854775808", "99999999999999999999999",
        "NaN", "0x1", " 1", "1 ", "٣", "00000000000000000000001",
    ];

    private static readonly string[] OddChannels = ["", "chat", ":a", "chat:", "CHAT:a", "chat:é", "chat:a b", "nope:a", "user:someone-else", "chat:" + new string('x', 300)];

    public string[] Channels(string user)
    {
        var count = random.Next(1, 4);
        return [.. Enumerable.Range(0, count).Select(_ => random.Next(8) == 0 ? $"user:{user}" : $"{(random.Next(2) == 0 ? "chat" : "feed")}:fuzz-{random.Next(4)}").Distinct()];
    }

    public static string Token(IEnumerable<(string Channel, long Seq)> positions) =>
        string.Join('|', positions.Select(p => $"{p.Channel}@{p.Seq.ToString(CultureInfo.InvariantCulture)}"));

    public string ValidToken(string[] channels) => Token(channels.Where(c => !c.StartsWith("live:", StringComparison.Ordinal)).Select(c => (c, (long)random.Next(0, 20))));

    /// <summary>A token broken one way; some mutations keep it valid (that is part of the fuzzing).</summary>
    public (string Token, string Mutation) MutateToken(string[] channels)
    {
        var token = ValidToken(channels);
        return random.Next(12) switch
        {
            0 => (token.Replace("@", "@" + Pick(OddSequences) + "x", StringComparison.Ordinal), "garbage after @"),
            1 => ($"{Pick(channels)}@{Pick(OddSequences)}", "odd sequence"),
            2 => ($"{Pick(OddChannels)}@{random.Next(10)}", "odd channel"),
            3 => (token + "|", "trailing |"),
            4 => ("|" + token, "leading |"),
            5 => (token + "|" + token, "every channel twice"),
            6 => (token.Replace("@", "", StringComparison.Ordinal), "no @"),
            7 => (token.Replace("|", ",", StringComparison.Ordinal), ", instead of |"),
            8 => (token.Length > 0 ? token[..random.Next(token.Length)] : "@", "truncated"),
            9 => ($"{Pick(channels)}@{random.Next(1_000_000, int.MaxValue)}", "ahead of the channel"),
            10 => (string.Join('|', Enumerable.Range(0, random.Next(50, 400)).Select(i => $"chat:many-{i}@1")), "hundreds of channels"),
            _ => (FlipCharacter(token), "one character changed"),
        };
    }

    public (string Channels, string Mutation) MutateChannels(string[] channels)
    {
        var list = string.Join(',', channels);
        return random.Next(8) switch
        {
            0 => (list + "," + Pick(OddChannels), "odd channel added"),
            1 => ("", "empty"),
            2 => (",,," + list + ",,", "empty entries"),
            3 => (string.Join(',', Enumerable.Range(0, random.Next(100, 300)).Select(i => $"chat:c{i}")), "hundreds of channels"),
            4 => (list.Replace(",", "|", StringComparison.Ordinal), "| instead of ,"),
            5 => (list + "," + list, "every channel twice"),
            6 => (FlipCharacter(list), "one character changed"),
            _ => (list, "valid"),
        };
    }

    private string FlipCharacter(string text)
    {
        if (text.Length == 0)
        {
            return "\u0001";
        }
        var chars = new StringBuilder(text);
        chars[random.Next(chars.Length)] = (char)random.Next(1, 0x3000);
        return chars.ToString();
    }

    private T Pick<T>(T[] items) => items[random.Next(items.Length)];
}
