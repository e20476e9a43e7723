using System.Text.Json;

namespace RealtimeAspire.ConnectionService.Protocol;

/// <summary>
/// One client frame: <c>{"type":"subscribe","id":1,"channel":"chat:a","since":41}</c>. Only the fields the protocol
/// knows are read; <c>data</c> is kept as the client's raw JSON bytes, validated, never re-serialised.
/// </summary>
public sealed class ClientFrame
{
    /// <summary>
    /// The largest channel position a client may name (<c>since</c>, SSE <c>Last-Event-ID</c>, long-poll cursor):
    /// 2^53 − 1, the largest integer a JSON number carries exactly in JavaScript. Larger is malformed (<c>bad_json</c>)
    /// on every transport; a position within it but ahead of the channel is <c>position_ahead</c>.
    /// </summary>
    public const long MaxPosition = 9_007_199_254_740_991;

    public required string Type { get; init; }
    public long? Id { get; init; }
    public string? Channel { get; init; }
    public long? Since { get; init; }
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>Parses a UTF-8 JSON object; the error says what is wrong, for the <c>error</c> frame.</summary>
    public static bool TryParse(ReadOnlySpan<byte> json, out ClientFrame? frame, out string? error) =>
        TryParse(json, out frame, out error, out _);

    /// <summary>
    /// Parses a UTF-8 JSON object. On failure <paramref name="id"/> is still the frame's <c>id</c> when it had a
    /// readable numeric one (before or after the faulty field), so the <c>error</c> reply can carry it.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> json, out ClientFrame? frame, out string? error, out long? id)
    {
        frame = null;
        error = null;
        id = null;
        string? type = null, channel = null;
        long? since = null;
        ReadOnlyMemory<byte> data = default;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "A frame is a JSON object.";
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = KnownName(ref reader);
                reader.Read();
                switch (name)
                {
                    case "type" when reader.TokenType == JsonTokenType.String:
                        type = Text(ref reader, name, ref error);
                        break;
                    case "channel" when reader.TokenType == JsonTokenType.String:
                        channel = Text(ref reader, name, ref error);
                        break;
                    case "id" when reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var i):
                        id = i;
                        break;
                    case "since" when reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var s) && s is >= 0 and <= MaxPosition:
                        since = s;
                        break;
                    case "since":
                        // Keep reading: the error reply carries the id even when it comes after the faulty field.
                        error ??= $"'since' must be a whole number from 0 to {MaxPosition}.";
                        reader.Skip();
                        break;
                    case "data":
                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        data = json[start..(int)reader.BytesConsumed].ToArray();
                        break;
                    case "type" or "channel" or "id":
                        error ??= $"'{name}' has the wrong type.";
                        reader.Skip();
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                error = "A frame is one JSON object.";
                return false;
            }
        }
        catch (JsonException ex)
        {
            error = $"Malformed JSON: {ex.Message}";
            return false;
        }
        if (error is not null)
        {
            return false;
        }
        if (type is null)
        {
            error = "'type' is missing.";
            return false;
        }
        frame = new ClientFrame { Type = type, Id = id, Channel = channel, Since = since, Data = data };
        return true;
    }

    private static readonly string[] KnownNames = ["type", "id", "channel", "since", "data"];

    /// <summary>
    /// The property's name when the protocol knows it: a name that is not valid text (a lone surrogate escape, invalid
    /// UTF-8) is an unknown field, not an exception.
    /// </summary>
    private static string? KnownName(ref Utf8JsonReader reader)
    {
        try
        {
            foreach (var known in KnownNames)
            {
                if (reader.ValueTextEquals(known))
                {
                    return known;
                }
            }
        }
        catch (InvalidOperationException)
        {
            // The name's escapes decode to no text; no known field is named that way.
        }
        return null;
    }

    /// <summary>
    /// A string value; one that cannot be decoded (a lone surrogate escape such as <c>"\ud800"</c> is valid UTF-8, so the
    /// WebSocket lets it through) makes the frame <c>bad_json</c> while the rest is still read for its <c>id</c>.
    /// </summary>
    private static string? Text(ref Utf8JsonReader reader, string name, ref string? error)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            error ??= $"'{name}' is not valid text (a lone surrogate or invalid UTF-8).";
            return null;
        }
    }
}
