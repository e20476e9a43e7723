using System.Text;
using System.Text.Json.Nodes;

namespace RealtimeAspire.Reliability.Tests.Hostile;

/// <summary>One fuzzed input: its bytes and what was done to a valid frame to get them (for the failure message).</summary>
public sealed record FuzzInput(byte[] Bytes, string Mutation)
{
    public string Text => Encoding.UTF8.GetString(Bytes);

    public bool IsValidUtf8 => System.Text.Unicode.Utf8.IsValid(Bytes);

    public override string ToString() => $"{Mutation}: {(Text.Length > 300 ? Text[..300] + "…" : Text)}";
}

/// <summary>
/// Breaks valid frames the ways a hostile or buggy client does: a field of the wrong type, missing or extra, numbers
/// too large, negative, fractional or not numbers at all, unicode where names are ASCII, lone surrogates, deep
/// nesting, duplicate keys, truncation, bit flips, bytes that are not UTF-8, and JSON that is not one object.
/// </summary>
public sealed class FrameMutator(Random random)
{
    private static readonly string[] HugeNumbers =
    [
        "9007199254740991", "9007199254740992", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "1e308", "1e309", "-1", "-0", "0.5", "1.0", "1e2", "12345678901234567890123456789", "-1e-400",
    ];

    private static readonly string[] NotNumbers = ["NaN", "Infinity", "-Infinity", "\"NaN\"", "\"1e999\"", "\"12\"", "0x10", "01", "+1", ".5"];

    private static readonly string[] Unicode =
    [
        "chat:é", "chat:\u200bzero-width", "chat:\u202eevil", "chat:😀", "ｃｈａｔ:fullwidth", "chat:a\u0000b", "chat:\ud83d\ude00x",
        "CHAT:upper", "chat:", ":name", "chat:a|b", "chat:a@1", "chat:a,b", "chat:a b", "chat:" + new string('n', 200),
    ];

    private static readonly string[] Fields = ["type", "id", "channel", "since", "data"];

    public FuzzInput Mutate(JsonObject frame) => random.Next(16) switch
    {
        0 => WrongType(frame),
        1 => Remove(frame),
        2 => Extra(frame),
        3 => Raw(frame, Pick(Fields), Pick(HugeNumbers), "huge or odd number"),
        4 => Raw(frame, Pick(Fields), Pick(NotNumbers), "not a number"),
        5 => UnicodeChannel(frame),
        6 => Raw(frame, Pick(Fields), "\"\\ud800\"", "lone surrogate escape"),
        7 => DeepNesting(frame),
        8 => DuplicateKey(frame),
        9 => Truncate(frame),
        10 => BitFlip(frame),
        11 => InvalidUtf8(frame),
        12 => NotOneObject(frame),
        13 => Raw(frame, "type", $"\"{Pick(FrameGrammar.Types).ToUpperInvariant()}\"", "type in other case"),
        14 => Raw(frame, "type", $"\"{FrameGrammar.RandomName(random, random.Next(0, 40))}\"", "unknown type"),
        _ => new FuzzInput(Bytes(frame), "valid"),
    };

    private FuzzInput WrongType(JsonObject frame)
    {
        var field = Pick(Fields);
        JsonNode? value = random.Next(6) switch
        {
            0 => JsonValue.Create(random.Next()),
            1 => JsonValue.Create("x"),
            2 => JsonValue.Create(true),
            3 => null,
            4 => new JsonArray(1, 2),
            _ => new JsonObject { ["a"] = 1 },
        };
        var copy = (JsonObject)frame.DeepClone();
        copy[field] = value;
        return new FuzzInput(Bytes(copy), $"wrong type for '{field}'");
    }

    private FuzzInput Remove(JsonObject frame)
    {
        var copy = (JsonObject)frame.DeepClone();
        var field = Pick(Fields);
        copy.Remove(field);
        return new FuzzInput(Bytes(copy), $"'{field}' removed");
    }

    private FuzzInput Extra(JsonObject frame)
    {
        var copy = (JsonObject)frame.DeepClone();
        var name = random.Next(3) == 0 ? "" : FrameGrammar.RandomName(random, random.Next(1, 30));
        copy[name] = new JsonObject { ["nested"] = new JsonArray(1, "two", null) };
        return new FuzzInput(Bytes(copy), $"extra field '{name}'");
    }

    private FuzzInput UnicodeChannel(JsonObject frame)
    {
        var copy = (JsonObject)frame.DeepClone();
        copy["channel"] = Pick(Unicode);
        return new FuzzInput(Bytes(copy), "unicode or malformed channel");
    }

    /// <summary>Sets a field to raw JSON text (which a serialiser would never write), as the last field so that an earlier <c>id</c> stays readable.</summary>
    private FuzzInput Raw(JsonObject frame, string field, string rawValue, string what)
    {
        var copy = (JsonObject)frame.DeepClone();
        copy.Remove(field);
        var text = FrameGrammar.Serialise(copy);
        var inner = text.Length > 2 ? text[1..^1] + "," : "";
        return new FuzzInput(Encoding.UTF8.GetBytes($"{{{inner}\"{field}\":{rawValue}}}"), $"{what}: '{field}'={rawValue}");
    }

    private FuzzInput DeepNesting(JsonObject frame)
    {
        var depth = random.Next(2) == 0 ? random.Next(60, 70) : random.Next(100, 5000);
        var nested = new string('[', depth) + new string(']', depth);
        return Raw(frame, random.Next(3) == 0 ? "channel" : "data", nested, $"nested {depth} deep");
    }

    private FuzzInput DuplicateKey(JsonObject frame)
    {
        var text = FrameGrammar.Serialise(frame);
        var field = Pick(Fields);
        var extra = random.Next(2) == 0 ? "\"x\"" : "123";
        return new FuzzInput(Encoding.UTF8.GetBytes(text[..^1] + $",\"{field}\":{extra}}}"), $"duplicate '{field}'");
    }

    private FuzzInput Truncate(JsonObject frame)
    {
        var bytes = Bytes(frame);
        var length = random.Next(0, bytes.Length);
        return new FuzzInput(bytes[..length], $"truncated to {length} bytes");
    }

    private FuzzInput BitFlip(JsonObject frame)
    {
        var bytes = Bytes(frame);
        var flips = random.Next(1, 4);
        for (var i = 0; i < flips; i++)
        {
            bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        }
        return new FuzzInput(bytes, $"{flips} bit(s) flipped");
    }

    private FuzzInput InvalidUtf8(JsonObject frame)
    {
        var bytes = Bytes(frame).ToList();
        byte[][] invalid = [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0xE2, 0x82]];
        var at = bytes.IndexOf((byte)'"') is var quote and >= 0 ? quote + 1 : bytes.Count / 2;
        bytes.InsertRange(Math.Min(at + random.Next(0, 6), bytes.Count), Pick(invalid));
        return new FuzzInput([.. bytes], "invalid UTF-8");
    }

    private FuzzInput NotOneObject(JsonObject frame)
    {
        var text = FrameGrammar.Serialise(frame);
        var (shape, what) = random.Next(9) switch
        {
            0 => ($"[{text}]", "in an array"),
            1 => (text + text, "two objects"),
            2 => (text + " x", "trailing garbage"),
            3 => ("\uFEFF" + text, "byte order mark"),
            4 => ("/*c*/" + text, "comment"),
            5 => (text[..^1] + ",}", "trailing comma"),
            6 => ("", "empty"),
            7 => ("   \n\t ", "whitespace only"),
            _ => ("\"" + text.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"", "a string holding the frame"),
        };
        return new FuzzInput(Encoding.UTF8.GetBytes(shape), what);
    }

    private static byte[] Bytes(JsonNode frame) => Encoding.UTF8.GetBytes(FrameGrammar.Serialise(frame));

    private T Pick<T>(T[] items) => items[random.Next(items.Length)];
}
