using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace RealtimeAspire.Reliability.Tests.Hostile;

/// <summary>
/// Valid client frames as docs/protocol.md describes them (subscribe, unsubscribe, publish, typing, ping), built as
/// JSON objects so that <see cref="FrameMutator"/> can break them one field at a time.
/// </summary>
public sealed class FrameGrammar(Random random, string user)
{
    public static readonly string[] Types = ["subscribe", "unsubscribe", "publish", "typing", "ping"];
    private static readonly string[] Namespaces = ["chat", "feed", "live"];
    private const string NameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.=~:-";

    /// <summary>Channel names come from a small pool, so that subscribes, publishes and unsubscribes meet.</summary>
    public string Channel() => random.Next(10) switch
    {
        0 => $"user:{user}",
        _ => $"{Namespaces[random.Next(Namespaces.Length)]}:fuzz-{random.Next(6)}",
    };

    public static string RandomName(Random random, int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(NameCharacters[random.Next(NameCharacters.Length)]);
        }
        return text.ToString();
    }

    /// <summary>One valid frame; <paramref name="id"/> is the correlation id the reply must carry.</summary>
    public JsonObject Frame(long id)
    {
        var type = Types[random.Next(Types.Length)];
        var frame = new JsonObject { ["type"] = type };
        if (type != "typing")
        {
            frame["id"] = id;
        }
        if (type is "subscribe" or "unsubscribe" or "publish" or "typing")
        {
            frame["channel"] = Channel();
        }
        if (type == "subscribe" && random.Next(2) == 0)
        {
            frame["since"] = random.Next(4) == 0 ? 0 : random.Next(0, 50);
        }
        if (type == "publish")
        {
            frame["data"] = Data(depth: 0);
        }
        return frame;
    }

    /// <summary>Any JSON value, a few levels deep.</summary>
    public JsonNode? Data(int depth) => random.Next(depth > 2 ? 5 : 7) switch
    {
        0 => JsonValue.Create(random.Next(-1000, 1000)),
        1 => JsonValue.Create(RandomName(random, random.Next(0, 20))),
        2 => JsonValue.Create(random.Next(2) == 0),
        3 => null,
        4 => JsonValue.Create(random.NextDouble() * 1e6),
        5 => new JsonArray([.. Enumerable.Range(0, random.Next(4)).Select(_ => Data(depth + 1))]),
        _ => Object(depth),
    };

    private JsonObject Object(int depth)
    {
        var result = new JsonObject();
        for (var i = random.Next(4); i > 0; i--)
        {
            result[RandomName(random, random.Next(1, 8))] = Data(depth + 1);
        }
        return result;
    }

    /// <summary>A well-formed JSON text for a frame, as a client library would serialise it.</summary>
    public static string Serialise(JsonNode frame) => frame.ToJsonString();

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
