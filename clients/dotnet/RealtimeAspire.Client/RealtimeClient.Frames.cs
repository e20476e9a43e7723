using System.Text.Json;
using RealtimeAspire.Client.Delivery;
using RealtimeAspire.Client.Transports;

namespace RealtimeAspire.Client;

/// <summary>Frames of the current (or opening) connection, handed to their channel's <see cref="ChannelStream"/>.</summary>
public sealed partial class RealtimeClient
{
    private void OnFrame(IRealtimeConnection connection, JsonElement frame)
    {
        if (!ReferenceEquals(connection, Volatile.Read(ref _connection)) && !ReferenceEquals(connection, _opening))
        {
            return; // a replaced connection's last words
        }
        var type = frame.TryGetProperty("type", out var t) ? t.GetString() : null;
        var channel = frame.TryGetProperty("channel", out var c) ? c.GetString() ?? "" : "";
        _streams.TryGetValue(channel, out var stream);
        switch (type)
        {
            case "message":
                stream?.Accept(ToMessage(frame));
                break;
            case "position" when frame.TryGetProperty("seq", out var seq):
                stream?.StartAt(seq.GetInt64());
                break;
            case "presence":
                stream?.Presence(new RealtimePresenceEvent(channel, PresenceUsers(frame, "joined"), PresenceUsers(frame, "left")));
                break;
            case "typing":
                stream?.Typing(new RealtimeTypingEvent(channel, frame.TryGetProperty("user", out var user) ? user.GetString() ?? "" : ""));
                break;
            case "reconnect":
                var after = frame.TryGetProperty("afterMs", out var ms) && ms.TryGetInt64(out var delay) ? TimeSpan.FromMilliseconds(delay) : TimeSpan.Zero;
                connection.RequestReconnect(new TransportClose(frame.TryGetProperty("reason", out var r) ? r.GetString() ?? "reconnect" : "reconnect", after));
                break;
            case "error" when stream is not null:
                stream.Error(new RealtimeException(
                    frame.TryGetProperty("code", out var code) ? code.GetString() ?? "error" : "error",
                    frame.TryGetProperty("message", out var message) ? message.GetString() ?? "" : ""));
                break;
            default:
                break;
        }
    }

    private static RealtimePresenceUser[] PresenceUsers(JsonElement frame, string property) =>
        frame.TryGetProperty(property, out var users) && users.ValueKind == JsonValueKind.Array
            ? [.. users.EnumerateArray().Select(u => new RealtimePresenceUser(
                u.TryGetProperty("user", out var id) ? id.GetString() ?? "" : "",
                u.TryGetProperty("name", out var name) ? name.GetString() ?? "" : ""))]
            : [];

    private static RealtimeMessage ToMessage(JsonElement frame) => new(
        frame.GetProperty("channel").GetString() ?? "",
        frame.TryGetProperty("seq", out var seq) ? seq.GetInt64() : 0,
        frame.TryGetProperty("msgId", out var id) ? id.GetString() ?? "" : "",
        frame.TryGetProperty("from", out var from) ? from.GetString() ?? "" : "",
        frame.TryGetProperty("ts", out var ts) ? ts.GetInt64() : 0,
        frame.TryGetProperty("data", out var data) ? data.Clone() : default);
}
