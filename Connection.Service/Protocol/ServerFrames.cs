using System.Text.Json;
using RealtimeAspire.Contracts.Wire;

namespace RealtimeAspire.ConnectionService.Protocol;

/// <summary>Builds the server's control frames as UTF-8 JSON. Message frames are built once per message by <see cref="MessageFrame"/>.</summary>
public static class ServerFrames
{
    public static byte[] Welcome(string connectionId, string replica, string? affinity) => Write(w =>
    {
        w.WriteString("type", "welcome");
        w.WriteString("connectionId", connectionId);
        w.WriteString("replica", replica);
        if (affinity is null)
        {
            w.WriteNull("affinity");
        }
        else
        {
            w.WriteString("affinity", affinity);
        }
    });

    public static byte[] PublishAck(long? id, long seq, string msgId) => Write(w =>
    {
        w.WriteString("type", "ack");
        WriteId(w, id);
        w.WriteNumber("seq", seq);
        w.WriteString("msgId", msgId);
    });

    /// <summary>Ack of subscribe/unsubscribe: <c>seq</c> is the channel position the subscription continues from.</summary>
    public static byte[] ChannelAck(long? id, string channel, long? seq) => Write(w =>
    {
        w.WriteString("type", "ack");
        WriteId(w, id);
        w.WriteString("channel", channel);
        if (seq is { } s)
        {
            w.WriteNumber("seq", s);
        }
    });

    public static byte[] Error(long? id, string code, string message) => Write(w =>
    {
        w.WriteString("type", "error");
        WriteId(w, id);
        w.WriteString("code", code);
        w.WriteString("message", message);
    });

    /// <summary>
    /// A resume position beyond the channel: <c>seq</c> is the channel's current position, from which the client
    /// resubscribes (WebSocket) or from which the stream and the cursor continue (SSE, long poll).
    /// </summary>
    public static byte[] PositionAhead(long? id, string channel, long requested, long current) => Write(w =>
    {
        w.WriteString("type", "error");
        WriteId(w, id);
        w.WriteString("code", ErrorCodes.PositionAhead);
        w.WriteString("message", $"Position {requested} of '{channel}' is ahead of the channel, which is at {current}; resume from {current}.");
        w.WriteString("channel", channel);
        w.WriteNumber("seq", current);
    });

    public static byte[] Pong(long? id) => Write(w =>
    {
        w.WriteString("type", "pong");
        WriteId(w, id);
    });

    public static byte[] Reconnect(int afterMs, string reason) => Write(w =>
    {
        w.WriteString("type", "reconnect");
        w.WriteNumber("afterMs", afterMs);
        w.WriteString("reason", reason);
    });

    public static byte[] Typing(string channel, string user) => Write(w =>
    {
        w.WriteString("type", "typing");
        w.WriteString("channel", channel);
        w.WriteString("user", user);
    });

    private static void WriteId(Utf8JsonWriter writer, long? id)
    {
        if (id is { } value)
        {
            writer.WriteNumber("id", value);
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> body) => JsonFrameWriter.Write(body, static (writer, body) =>
    {
        writer.WriteStartObject();
        body(writer);
        writer.WriteEndObject();
    });
}
