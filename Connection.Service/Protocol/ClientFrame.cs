using System.Text.Json;

namespace RealtimeAspire.ConnectionService.Protocol;

/// <summary>
/// One client frame: <c>{"type":"subscribe","id":1,"channel":"chat:a","since":41}</c>. Only the fields the protocol
/// knows are read; <c>data</c> is kept as the client's raw JSON bytes, validated, never re-serialised.
/// </summary>
public sealed class ClientFrame
{
    public required string Type { get; init; }
    public long? Id { get; init; }
    public string? Channel { get; init; }
    public long? Since { get; init; }
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>Parses a UTF-8 JSON object; the error says what is wrong, for the <c>error</c> frame.</summary>
    public static bool TryParse(ReadOnlySpan<byte> json, out ClientFrame? frame, out string? error)
    {
        frame = null;
        error = null;
        string? type = null, channel = null;
        long? id = null, since = null;
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
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "type" when reader.TokenType == JsonTokenType.String:
                        type = reader.GetString();
                        break;
                    case "channel" when reader.TokenType == JsonTokenType.String:
                        channel = reader.GetString();
                        break;
                    case "id" when reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var i):
                        id = i;
                        break;
                    case "since" when reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var s) && s >= 0:
                        since = s;
                        break;
                    case "data":
                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        data = json[start..(int)reader.BytesConsumed].ToArray();
                        break;
                    case "type" or "channel" or "id" or "since":
                        error = $"'{name}' has the wrong type.";
                        return false;
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
        if (type is null)
        {
            error = "'type' is missing.";
            return false;
        }
        frame = new ClientFrame { Type = type, Id = id, Channel = channel, Since = since, Data = data };
        return true;
    }
}
