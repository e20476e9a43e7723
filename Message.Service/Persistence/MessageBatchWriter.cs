using Npgsql;
using NpgsqlTypes;

namespace RealtimeAspire.MessageService.Persistence;

/// <summary>
/// Writes a batch of messages in one PostgreSQL transaction, idempotently: <c>INSERT … ON CONFLICT DO NOTHING</c>
/// against both unique keys ((channel, seq) and msg_id), so a re-delivered message is a no-op. Rows that were not
/// inserted are then told apart: same id at the same place is a duplicate, anything else is a conflict.
/// The same transaction raises each channel's <c>max_seq</c> and clears any "lost" record the batch fills.
/// </summary>
public sealed class MessageBatchWriter(NpgsqlDataSource dataSource)
{
    public async Task<PersistOutcome> WriteAsync(IReadOnlyList<IncomingMessage> batch, bool repaired, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return new PersistOutcome(0, 0, []);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var inserted = new HashSet<(string, long, string)>();
        await using (var insert = new NpgsqlCommand(MessageSql.InsertMessages, connection, transaction))
        {
            insert.Parameters.Add(TextArray("channels", batch.Select(m => m.Channel)));
            insert.Parameters.Add(BigintArray("seqs", batch.Select(m => m.Seq)));
            insert.Parameters.Add(TextArray("msg_ids", batch.Select(m => m.MsgId)));
            insert.Parameters.Add(TextArray("senders", batch.Select(m => m.From)));
            insert.Parameters.Add(BigintArray("tss", batch.Select(m => m.Ts)));
            insert.Parameters.Add(TextArray("datas", batch.Select(m => m.Data)));
            insert.Parameters.Add(new NpgsqlParameter<string?[]>("trace_parents", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. batch.Select(m => m.TraceParent)] });
            insert.Parameters.Add(new NpgsqlParameter<bool>("repaired", repaired));
            await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                inserted.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
            }
        }

        var written = new List<IncomingMessage>(batch.Count);
        var rest = new List<IncomingMessage>();
        foreach (var message in batch)
        {
            (inserted.Remove((message.Channel, message.Seq, message.MsgId)) ? written : rest).Add(message);
        }
        var duplicates = 0;
        var conflicts = new List<MessageConflict>();
        if (rest.Count > 0)
        {
            var existing = new Dictionary<(string, long), string>();
            await using var lookup = new NpgsqlCommand(MessageSql.MessagesAtPlaces, connection, transaction);
            lookup.Parameters.Add(TextArray("channels", rest.Select(m => m.Channel)));
            lookup.Parameters.Add(BigintArray("seqs", rest.Select(m => m.Seq)));
            await using var reader = await lookup.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                existing[(reader.GetString(0), reader.GetInt64(1))] = reader.GetString(2);
            }
            foreach (var message in rest)
            {
                var found = existing.GetValueOrDefault((message.Channel, message.Seq));
                if (found == message.MsgId)
                {
                    duplicates++;
                }
                else
                {
                    conflicts.Add(new MessageConflict(message, found));
                }
            }
        }

        if (written.Count > 0)
        {
            await using var channels = new NpgsqlCommand(MessageSql.RaiseMaxSeq, connection, transaction);
            channels.Parameters.Add(TextArray("channels", written.Select(m => m.Channel)));
            channels.Parameters.Add(BigintArray("seqs", written.Select(m => m.Seq)));
            await channels.ExecuteNonQueryAsync(cancellationToken);

            await using var clearLost = new NpgsqlCommand(MessageSql.ClearLost, connection, transaction);
            clearLost.Parameters.Add(TextArray("channels", written.Select(m => m.Channel)));
            clearLost.Parameters.Add(BigintArray("seqs", written.Select(m => m.Seq)));
            await clearLost.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new PersistOutcome(written.Count, duplicates, conflicts);
    }

    private static NpgsqlParameter<string[]> TextArray(string name, IEnumerable<string> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. values] };

    private static NpgsqlParameter<long[]> BigintArray(string name, IEnumerable<long> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. values] };
}
