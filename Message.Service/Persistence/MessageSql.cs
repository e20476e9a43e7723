namespace RealtimeAspire.MessageService.Persistence;

/// <summary>
/// Every raw SQL statement of the service, by name, beside each other: they all assume the schema of
/// <c>Data/MessagesDbContext</c> (its migrations create it), so a change to a table is checked here once rather than
/// in each consumer. EF Core queries (the history API, the migrator) stay where they are used.
/// </summary>
public static class MessageSql
{
    /// <summary>
    /// A batch's insert, idempotent against both unique keys ((channel, seq) and msg_id); returns the rows it inserted.
    /// </summary>
    public const string InsertMessages = """
        INSERT INTO messages (channel, seq, msg_id, sender, ts, data, trace_parent, repaired)
        SELECT t.channel, t.seq, t.msg_id, t.sender, t.ts, t.data::json, t.trace_parent, @repaired
        FROM unnest(@channels, @seqs, @msg_ids, @senders, @tss, @datas, @trace_parents)
             AS t(channel, seq, msg_id, sender, ts, data, trace_parent)
        ON CONFLICT DO NOTHING
        RETURNING channel, seq, msg_id
        """;

    /// <summary>The messages that hold the given (channel, seq) places, to tell a duplicate from a conflict.</summary>
    public const string MessagesAtPlaces = """
        SELECT m.channel, m.seq, m.msg_id
        FROM messages m JOIN unnest(@channels, @seqs) AS t(channel, seq) ON m.channel = t.channel AND m.seq = t.seq
        """;

    /// <summary>Raises each channel's <c>max_seq</c> to the highest written (creating the row if needed).</summary>
    public const string RaiseMaxSeq = """
        INSERT INTO channels (channel, max_seq, checked_seq, updated_at)
        SELECT t.channel, max(t.seq), 0, now() FROM unnest(@channels, @seqs) AS t(channel, seq)
        GROUP BY t.channel ORDER BY t.channel
        ON CONFLICT (channel) DO UPDATE SET max_seq = GREATEST(channels.max_seq, EXCLUDED.max_seq), updated_at = now()
        """;

    /// <summary>Clears the "lost" records of places a batch has now filled.</summary>
    public const string ClearLost = """
        DELETE FROM lost_messages l USING unnest(@channels, @seqs) AS t(channel, seq)
        WHERE l.channel = t.channel AND l.seq = t.seq
        """;

    /// <summary>The gap scan's transaction-scoped advisory lock: one instance scans at a time.</summary>
    public const string TryScanLock = "SELECT pg_try_advisory_xact_lock(@key)";

    /// <summary>Channels whose <c>max_seq</c> is ahead of their <c>checked_seq</c>: the gap scan's candidates.</summary>
    public const string GapCandidates = "SELECT channel, checked_seq FROM channels WHERE max_seq > checked_seq ORDER BY channel";

    /// <summary>The sequence numbers above <c>@after</c> that are persisted or recorded lost, at most <c>@limit</c>.</summary>
    public const string KnownSeqsAfter = """
        SELECT seq FROM (
            SELECT seq FROM messages WHERE channel = @channel AND seq > @after
            UNION ALL
            SELECT seq FROM lost_messages WHERE channel = @channel AND seq > @after
        ) s ORDER BY seq LIMIT @limit
        """;

    /// <summary>
    /// Channels persisted to or claimed within <c>@window</c> and how far each is persisted or recorded lost: the tail
    /// check's candidates (numbers Redis handed out that no later message reveals).
    /// </summary>
    public const string TailCandidates = """
        SELECT c.channel, GREATEST(c.max_seq, COALESCE((SELECT max(l.seq) FROM lost_messages l WHERE l.channel = c.channel), 0))
        FROM channels c WHERE c.updated_at > now() - @window ORDER BY c.channel
        """;

    /// <summary>Advances a channel's <c>checked_seq</c> (never backwards).</summary>
    public const string AdvanceChecked = "UPDATE channels SET checked_seq = @checked, updated_at = now() WHERE channel = @channel AND checked_seq < @checked";

    /// <summary>Records the places Redis no longer had as lost.</summary>
    public const string RecordLost = """
        INSERT INTO lost_messages (channel, seq, detected_at)
        SELECT @channel, s, now() FROM unnest(@seqs) AS s
        ON CONFLICT DO NOTHING
        """;

    /// <summary>The channel's claim: its row in <c>channels</c>; one row affected means the channel is new.</summary>
    public const string ClaimChannel = """
        INSERT INTO channels (channel, max_seq, checked_seq, updated_at) VALUES (@channel, 0, 0, now())
        ON CONFLICT (channel) DO NOTHING
        """;

    /// <summary>
    /// The claim of several channels in one statement and one commit: every row it writes is a new channel (returned);
    /// a name not returned was already there. In channel order, like <see cref="RaiseMaxSeq"/>, so that two
    /// statements sharing channels (two batches, a batch and the batch writer) wait on each other's new rows in one
    /// order and cannot deadlock.
    /// </summary>
    public const string ClaimChannels = """
        INSERT INTO channels (channel, max_seq, checked_seq, updated_at)
        SELECT c, 0, 0, now() FROM (SELECT DISTINCT c FROM unnest(@channels) AS c) AS d ORDER BY c
        ON CONFLICT (channel) DO NOTHING
        RETURNING channel
        """;

    /// <summary>The highest sequence number the channel has used, persisted or recorded lost (0 for none).</summary>
    public const string MaxSeq = """
        SELECT GREATEST(
            (SELECT max(seq) FROM messages WHERE channel = @channel),
            (SELECT max(seq) FROM lost_messages WHERE channel = @channel),
            0)
        """;
}
