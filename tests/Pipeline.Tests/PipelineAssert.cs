namespace RealtimeAspire.Pipeline.Tests;

/// <summary>What "durable, exactly once, never reused, contiguous" means for a load's acks and PostgreSQL's rows.</summary>
public static class PipelineAssert
{
    /// <summary>No (channel, seq) and no msgId acknowledged twice: a sequence number was never handed out again.</summary>
    public static void AcksAreUnique(IReadOnlyCollection<Acked> acks)
    {
        var reused = acks.GroupBy(a => (a.Channel, a.Seq)).Where(g => g.Count() > 1).Take(10).ToList();
        Assert.True(reused.Count == 0, "Sequence numbers acknowledged twice: " + string.Join("; ",
            reused.Select(g => $"{g.Key.Channel}@{g.Key.Seq}: {string.Join(", ", g.Select(a => a.MsgId))}")));
        Assert.Equal(acks.Count, acks.Select(a => a.MsgId).Distinct().Count());
        Assert.Equal(acks.Count, acks.Select(a => a.Key).Distinct().Count());
    }

    /// <summary>Every acknowledged message is persisted once, under the (channel, seq) its ack gave.</summary>
    public static void EveryAckIsPersistedOnce(IReadOnlyCollection<Acked> acks, IReadOnlyList<PersistedRow> rows)
    {
        Assert.Equal(rows.Count, rows.Select(r => r.MsgId).Distinct().Count());
        var bySeq = rows.ToDictionary(r => (r.Channel, r.Seq));
        var wrong = acks.Where(a => !bySeq.TryGetValue((a.Channel, a.Seq), out var row) || row.MsgId != a.MsgId).Take(10)
            .Select(a => $"{a.Channel}@{a.Seq} acked {a.MsgId}, persisted {(bySeq.TryGetValue((a.Channel, a.Seq), out var row) ? row.MsgId : "nothing")}")
            .ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count}+ acknowledged messages not persisted as acknowledged: " + string.Join("; ", wrong));
    }

    /// <summary>Each channel's persisted sequence numbers are exactly 1..n.</summary>
    public static void SequencesAreContiguous(IReadOnlyList<PersistedRow> rows)
    {
        foreach (var channel in rows.GroupBy(r => r.Channel))
        {
            var seqs = channel.Select(r => r.Seq).Order().ToList();
            var holes = Enumerable.Range(1, (int)seqs[^1]).Select(s => (long)s).Except(seqs).Take(10).ToList();
            Assert.True(holes.Count == 0 && seqs.Count == seqs[^1],
                $"{channel.Key}: {seqs.Count} rows up to {seqs[^1]}, missing {string.Join(", ", holes)}");
        }
    }
}
