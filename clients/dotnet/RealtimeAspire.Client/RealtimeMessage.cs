using System.Text.Json;

namespace RealtimeAspire.Client;

/// <summary>A message of a channel. <see cref="Seq"/> is 0 on ephemeral channels.</summary>
public sealed record RealtimeMessage(string Channel, long Seq, string MsgId, string From, long Ts, JsonElement Data)
{
    public DateTimeOffset PublishedAt => DateTimeOffset.FromUnixTimeMilliseconds(Ts);

    public T? DataAs<T>(JsonSerializerOptions? options = null) => Data.Deserialize<T>(options ?? JsonSerializerOptions.Web);
}
