using System.Globalization;

namespace RealtimeAspire.Reliability.Tests.Scenario;

/// <summary>
/// One scenario's outcome: the report line <c>fault, load, acked, lost, dup, recovery s</c> (docs/reliability.md's
/// table) followed by what explains it — refusals by code, what the clients dropped or fetched, each subscriber's audit.
/// </summary>
public sealed record ScenarioReport(string Fault, string Load, AuditResult Audit, TimeSpan Recovery, IReadOnlyDictionary<string, int> Refusals, long WireDuplicates, long GapFills, long Reconnects, IReadOnlyList<string> Notes)
{
    public const string Header = "fault, load, acked, lost, dup, recovery s";

    public string Line => string.Create(CultureInfo.InvariantCulture,
        $"{Fault}, {Load}, {Audit.Acked}, {Audit.Lost}, {Audit.Duplicates}, {Recovery.TotalSeconds:0.0}");

    public string Details()
    {
        var refusals = Refusals.Count == 0 ? "none" : string.Join(", ", Refusals.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value}"));
        var lines = new List<string>
        {
            $"  refused (not acknowledged): {refusals}",
            $"  subscribers: {Audit.Subscribers.Count}, missed {Audit.Missed}, out of order {Audit.OutOfOrder}, delivered twice {Audit.Subscribers.Sum(s => s.Duplicates)}; "
                + $"client-dropped wire duplicates {WireDuplicates}, gap fills {GapFills}, reconnects {Reconnects}",
            $"  postgres: duplicates {Audit.PersistedDuplicates}, acks reused {Audit.ReusedAcks}, holes {Audit.Holes.Count}",
        };
        lines.AddRange(Audit.FirstLost.Select(l => "  lost: " + l));
        lines.AddRange(Audit.Holes.Select(h => "  hole: " + h));
        lines.AddRange(Audit.Subscribers.Where(s => s.Missed + s.Duplicates + s.OutOfOrder > 0 || s.Ended is not null)
            .Select(s => $"  {s.Name}: received {s.Received}, missed {s.Missed} ({string.Join(", ", s.FirstMissed)}), twice {s.Duplicates}, out of order {s.OutOfOrder}{(s.Ended is null ? "" : ", ended: " + s.Ended)}"));
        lines.AddRange(Notes.Select(n => "  " + n));
        return string.Join('\n', lines);
    }
}
