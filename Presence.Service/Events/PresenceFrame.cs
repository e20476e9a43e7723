using System.Buffers;
using System.Text.Json;
using RealtimeAspire.Contracts.Wire;
using RealtimeAspire.PresenceService.Store;

namespace RealtimeAspire.PresenceService.Events;

/// <summary>
/// The wire frame <c>{"type":"presence","channel":…,"count":N,"joined":[{user,name}],"left":[{user,name}]}</c> inside
/// the fan-out payload (<see cref="FanoutHeader"/>) <c>0 {publishedAtMs} p\n{frame}</c>: sequence 0 (presence is not
/// part of a channel's order), kind <c>p</c>. A large channel's summary names nobody: empty lists (so a reader of the
/// lists sees no change it must apply) and <c>"summary":{"joined":k,"left":m}</c>. Connection.Service replicas hand it
/// to every subscriber as it is.
/// </summary>
public static class PresenceFrame
{
    public static byte[] Payload(string channel, long count, IEnumerable<PresenceTransition> joined, IEnumerable<PresenceTransition> left, long publishedAtMs) =>
        Write(channel, count, publishedAtMs, writer =>
        {
            WriteUsers(writer, "joined", joined);
            WriteUsers(writer, "left", left);
        });

    public static byte[] Summary(string channel, long count, int joined, int left, long publishedAtMs) =>
        Write(channel, count, publishedAtMs, writer =>
        {
            WriteUsers(writer, "joined", []);
            WriteUsers(writer, "left", []);
            writer.WriteStartObject("summary");
            writer.WriteNumber("joined", joined);
            writer.WriteNumber("left", left);
            writer.WriteEndObject();
        });

    private static byte[] Write(string channel, long count, long publishedAtMs, Action<Utf8JsonWriter> changes)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "presence");
            writer.WriteString("channel", channel);
            writer.WriteNumber("count", count);
            changes(writer);
            writer.WriteEndObject();
        }
        return FanoutHeader.Create(0, publishedAtMs, FanoutHeader.Presence, buffer.WrittenSpan);
    }

    private static void WriteUsers(Utf8JsonWriter writer, string name, IEnumerable<PresenceTransition> users)
    {
        writer.WriteStartArray(name);
        foreach (var user in users)
        {
            writer.WriteStartObject();
            writer.WriteString("user", user.User);
            writer.WriteString("name", user.Name);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }
}
