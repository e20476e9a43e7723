using System.Diagnostics;
using RealtimeAspire.Bench.Clients;

namespace RealtimeAspire.Bench.Metrics;

/// <summary>
/// Counts the presence frames each member receives during one phase (<see cref="Start"/> begins the next): frames,
/// payload bytes, named or summary, the members' view of the count, and when that view reached the phase's target.
/// Called from every member's receive loop: per-member slots are written by that member's loop only, the totals
/// with interlocked operations; nothing is parsed beyond <see cref="ServerFrame.Parse"/>.
/// </summary>
internal sealed class PresenceRecorder(int members)
{
    private readonly long[] _frames = new long[members];
    private readonly long[] _bytes = new long[members];
    private readonly long[] _announced = new long[members];
    private long _named;
    private long _summaries;
    private long _startedAt;
    private long _lastAt;
    private long _reachedAt;
    private long _target = long.MaxValue;
    private long _maxCount = -1;
    private long _minCount = long.MaxValue;

    /// <summary>
    /// Begins a phase. <paramref name="target"/>: the member count the join storm ends at; the phase records when a
    /// frame's <c>count</c> first reached it (or, for frames without a count, a member's own tally of the joins and
    /// leaves the frames announced). Null: not looked for.
    /// </summary>
    public void Start(long? target)
    {
        Array.Clear(_frames);
        Array.Clear(_bytes);
        Array.Clear(_announced);
        _named = _summaries = _lastAt = _reachedAt = 0;
        _maxCount = -1;
        _minCount = long.MaxValue;
        _target = target ?? long.MaxValue;
        Volatile.Write(ref _startedAt, Stopwatch.GetTimestamp());
    }

    /// <summary>A <see cref="FrameHandler"/>: the socket's <see cref="BenchSocket.State"/> is the member's index.</summary>
    public void OnFrame(BenchSocket socket, in ServerFrame frame, long receivedAt)
    {
        if (frame.Type == FrameType.Presence && socket.State is int member)
        {
            Record(member, frame, receivedAt);
        }
    }

    /// <summary>Member <paramref name="member"/> received the presence frame <paramref name="frame"/>.</summary>
    internal void Record(int member, in ServerFrame frame, long receivedAt)
    {
        _frames[member]++;
        _bytes[member] += frame.Bytes;
        var figures = frame.Presence;
        Interlocked.Increment(ref figures.IsSummary ? ref _summaries : ref _named);
        _announced[member] += figures.Joined - figures.Left;
        var seen = figures.Count >= 0 ? figures.Count : _announced[member];
        if (figures.Count >= 0)
        {
            Extreme(ref _maxCount, figures.Count, larger: true);
            Extreme(ref _minCount, figures.Count, larger: false);
        }
        if (seen >= _target)
        {
            Interlocked.CompareExchange(ref _reachedAt, receivedAt, 0);
        }
        Extreme(ref _lastAt, receivedAt, larger: true);
    }

    /// <summary>When the last presence frame of this phase arrived (0: none yet).</summary>
    public long LastFrameAt => Volatile.Read(ref _lastAt);

    /// <summary>Seconds from <see cref="Start"/> to <paramref name="timestamp"/>; null for 0 (never).</summary>
    public double? SecondsSinceStart(long timestamp) =>
        timestamp == 0 ? null : Math.Round(Stopwatch.GetElapsedTime(Volatile.Read(ref _startedAt), timestamp).TotalSeconds, 3);

    public double? CountReachedSeconds => SecondsSinceStart(Volatile.Read(ref _reachedAt));

    /// <summary>The largest and smallest <c>count</c> a frame carried; null when no frame had one.</summary>
    public (long? Max, long? Min) Counts => _maxCount < 0 ? (null, null) : (_maxCount, _minCount);

    /// <summary>The totals over the members whose sockets opened (<paramref name="opened"/>[i]).</summary>
    public PresenceTotals Totals(IReadOnlyList<bool> opened, int changes)
    {
        var members = Enumerable.Range(0, _frames.Length).Where(i => opened[i]).ToArray();
        return PresenceTotals.From([.. members.Select(i => Volatile.Read(ref _frames[i]))], [.. members.Select(i => Volatile.Read(ref _bytes[i]))],
            Volatile.Read(ref _named), Volatile.Read(ref _summaries), changes);
    }

    private static void Extreme(ref long slot, long value, bool larger)
    {
        var current = Volatile.Read(ref slot);
        while (larger ? value > current : value < current)
        {
            var seen = Interlocked.CompareExchange(ref slot, value, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }
}
