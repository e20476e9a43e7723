namespace RealtimeAspire.Reliability.Tests.Scenario;

/// <summary>What one subscriber was audited for: the acknowledged messages of its channel it never got, got twice or out of order.</summary>
public sealed record SubscriberAudit(string Name, int Received, int Missed, int Duplicates, int OutOfOrder, string? Ended, IReadOnlyList<long> FirstMissed)
{
    /// <param name="name">The subscriber, for the report.</param>
    /// <param name="seqs">The seqs the application was handed, in the order it got them.</param>
    /// <param name="acked">The seqs acknowledged on the subscriber's channel.</param>
    /// <param name="ended">Why its subscription ended by itself, if it did.</param>
    public static SubscriberAudit Of(string name, IReadOnlyList<long> seqs, IReadOnlySet<long> acked, string? ended)
    {
        var seen = new HashSet<long>();
        int duplicates = 0, outOfOrder = 0;
        long previous = 0;
        foreach (var seq in seqs)
        {
            if (!seen.Add(seq))
            {
                duplicates++;
            }
            else if (seq < previous)
            {
                outOfOrder++;
            }
            previous = Math.Max(previous, seq);
        }
        var missed = acked.Where(s => !seen.Contains(s)).Order().ToList();
        return new SubscriberAudit(name, seqs.Count, missed.Count, duplicates, outOfOrder, ended, [.. missed.Take(10)]);
    }
}

/// <summary>
/// The audit of a scenario: every acknowledged message is in PostgreSQL exactly once under the seq its ack gave
/// (else "lost": a false ack), each channel's persisted seqs are 1..n, no seq or msgId was acknowledged twice, and
/// every subscriber saw every acknowledged message of its channel once and in order.
/// </summary>
public sealed record AuditResult(
    int Acked,
    int Lost,
    int PersistedDuplicates,
    int ReusedAcks,
    IReadOnlyList<string> Holes,
    IReadOnlyList<string> FirstLost,
    IReadOnlyList<SubscriberAudit> Subscribers)
{
    /// <summary>Duplicates of any kind: persisted twice, acknowledged twice, or delivered twice to an application.</summary>
    public int Duplicates => PersistedDuplicates + ReusedAcks + Subscribers.Sum(s => s.Duplicates);

    public int Missed => Subscribers.Sum(s => s.Missed);

    public int OutOfOrder => Subscribers.Sum(s => s.OutOfOrder);

    public static AuditResult Of(IReadOnlyCollection<Acked> acks, IReadOnlyList<PersistedRow> rows, IEnumerable<Subscriber> subscribers)
    {
        var ackedByChannel = acks.GroupBy(a => a.Channel).ToDictionary(g => g.Key, g => (IReadOnlySet<long>)g.Select(a => a.Seq).ToHashSet());
        return FromAudits(acks, rows, [.. subscribers.Select(s => SubscriberAudit.Of(s.Name, [.. s.Messages.Select(m => m.Seq)],
            ackedByChannel.GetValueOrDefault(s.Channel) ?? new HashSet<long>(), s.Ended?.Message))]);
    }

    /// <summary>The audit with each subscriber's already audited (<see cref="SubscriberAudit.Of"/>).</summary>
    public static AuditResult FromAudits(IReadOnlyCollection<Acked> acks, IReadOnlyList<PersistedRow> rows, IReadOnlyList<SubscriberAudit> subscribers)
    {
        var bySeq = rows.GroupBy(r => (r.Channel, r.Seq)).ToDictionary(g => g.Key, g => g.First());
        var lost = acks.Where(a => !bySeq.TryGetValue((a.Channel, a.Seq), out var row) || row.MsgId != a.MsgId).ToList();
        var persistedDuplicates = rows.Count - rows.Select(r => r.MsgId).Distinct(StringComparer.Ordinal).Count()
            + rows.Count - bySeq.Count;
        var reusedAcks = acks.Count - acks.Select(a => (a.Channel, a.Seq)).Distinct().Count()
            + acks.Count - acks.Select(a => a.MsgId).Distinct(StringComparer.Ordinal).Count();
        var holes = new List<string>();
        foreach (var channel in rows.GroupBy(r => r.Channel))
        {
            var seqs = channel.Select(r => r.Seq).ToHashSet();
            var top = seqs.Max();
            var missing = Enumerable.Range(1, (int)top).Select(s => (long)s).Where(s => !seqs.Contains(s)).ToList();
            if (missing.Count > 0)
            {
                holes.Add($"{channel.Key}: {missing.Count} of 1..{top} missing ({string.Join(", ", missing.Take(5))}…)");
            }
        }
        return new AuditResult(acks.Count, lost.Count, persistedDuplicates, reusedAcks, holes,
            [.. lost.Take(10).Select(a => $"{a.Channel}@{a.Seq} {a.MsgId} (persisted: {(bySeq.TryGetValue((a.Channel, a.Seq), out var r) ? r.MsgId : "nothing")})")],
            subscribers);
    }
}
