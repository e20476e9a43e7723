using Npgsql;

namespace RealtimeAspire.Testing;

/// <summary>A message row as Message.Service persisted it: what the durability audits compare acks with.</summary>
public sealed record PersistedRow(string Channel, long Seq, string MsgId, bool Repaired);

/// <summary>Reads what Message.Service persisted, straight from the topology's PostgreSQL.</summary>
public static class PersistedMessages
{
    /// <summary>Every persisted message of the channels starting with <paramref name="channelPrefix"/>, by channel and seq.</summary>
    public static async Task<List<PersistedRow>> ReadAsync(string connectionString, string channelPrefix)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await using var command = new NpgsqlCommand(
            "SELECT channel, seq, msg_id, repaired FROM messages WHERE starts_with(channel, @prefix) ORDER BY channel, seq", connection);
        command.Parameters.AddWithValue("prefix", channelPrefix);
        await using var reader = await command.ExecuteReaderAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var rows = new List<PersistedRow>();
        while (await reader.ReadAsync().WaitAsync(TimeSpan.FromSeconds(30)))
        {
            rows.Add(new PersistedRow(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetBoolean(3)));
        }
        return rows;
    }
}
