using System.Text.Json;

namespace RealtimeAspire.Bench.Clients;

/// <summary>
/// The fields the benchmark reads from a server frame: the product's <c>{"type":…,"id":…,"seq":…,"data":{…}}</c> or
/// the reference server's <c>{"channel":…,"data":{…}}</c> (no type: a message), or a SignalR record
/// (<see cref="ParseSignalR"/>). In <c>data</c>: <c>s</c> the
/// benchmark's sequence number, <c>t</c> the publisher's <see cref="System.Diagnostics.Stopwatch"/> timestamp.
/// A presence frame also yields its <see cref="Presence"/> figures.
/// </summary>
internal readonly record struct ServerFrame(FrameType Type, long Id, long BenchSequence, long SentAt)
{
    /// <summary>What a <see cref="FrameType.Presence"/> frame says; default for every other frame.</summary>
    public PresenceFigures Presence { get; init; }

    /// <summary>The frame's WebSocket payload length, set by the receive loop.</summary>
    public int Bytes { get; init; }

    public static ServerFrame Parse(ReadOnlySpan<byte> json)
    {
        var type = FrameType.Other;
        bool typed = false, hasData = false;
        long id = 0, sequence = 0, sentAt = 0;
        var presence = PresenceFigures.None;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return default;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    typed = true;
                    type = reader.ValueTextEquals("message"u8) ? FrameType.Message
                        : reader.ValueTextEquals("ack"u8) ? FrameType.Ack
                        : reader.ValueTextEquals("welcome"u8) ? FrameType.Welcome
                        : reader.ValueTextEquals("error"u8) ? FrameType.Error
                        : reader.ValueTextEquals("presence"u8) ? FrameType.Presence
                        : FrameType.Other;
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number)
                    {
                        id = reader.GetInt64();
                    }
                }
                else if (reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        hasData = true;
                        ReadData(ref reader, ref sequence, ref sentAt);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (type != FrameType.Presence || !PresenceFigures.TryReadProperty(ref reader, ref presence))
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return default;
        }
        if (!typed && hasData)
        {
            type = FrameType.Message;
        }
        return new ServerFrame(type, id, sequence, sentAt) { Presence = type == FrameType.Presence ? presence : default };
    }

    /// <summary>
    /// One record of SignalR's JSON hub protocol: <c>{}</c> answers the handshake (a welcome), an invocation
    /// <c>{"type":1,"target":"m","arguments":[{data}]}</c> is a message; pings and the rest are other frames.
    /// </summary>
    public static ServerFrame ParseSignalR(ReadOnlySpan<byte> json)
    {
        long type = -1, sequence = 0, sentAt = 0;
        var properties = 0;
        var hasData = false;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return default;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                properties++;
                var isType = reader.ValueTextEquals("type"u8);
                var isArguments = !isType && reader.ValueTextEquals("arguments"u8);
                reader.Read();
                if (isType && reader.TokenType == JsonTokenType.Number)
                {
                    type = reader.GetInt64();
                }
                else if (isArguments && reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (!hasData && reader.TokenType == JsonTokenType.StartObject)
                        {
                            hasData = true;
                            ReadData(ref reader, ref sequence, ref sentAt);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return default;
        }
        var frameType = properties == 0 ? FrameType.Welcome : type == 1 && hasData ? FrameType.Message : FrameType.Other;
        return new ServerFrame(frameType, 0, sequence, sentAt);
    }

    private static void ReadData(ref Utf8JsonReader reader, ref long sequence, ref long sentAt)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isSequence = reader.ValueTextEquals("s"u8);
            var isSentAt = !isSequence && reader.ValueTextEquals("t"u8);
            reader.Read();
            if (isSequence && reader.TokenType == JsonTokenType.Number)
            {
                sequence = reader.GetInt64();
            }
            else if (isSentAt && reader.TokenType == JsonTokenType.Number)
            {
                sentAt = reader.GetInt64();
            }
            else
            {
                reader.Skip();
            }
        }
    }
}
