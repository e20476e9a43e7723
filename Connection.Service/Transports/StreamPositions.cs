using System.Globalization;
using RealtimeAspire.Contracts;

namespace RealtimeAspire.ConnectionService.Transports;

/// <summary>
/// Positions of several channels in one token: <c>chat:a@41|feed:b@7</c>. It is the SSE event id (so
/// <c>Last-Event-ID</c> resumes every channel of a stream) and the long-poll cursor. Channel names never contain
/// <c>@</c> or <c>|</c> (<see cref="ChannelName"/>).
/// </summary>
public static class StreamPositions
{
    public static string Format(IReadOnlyDictionary<string, long> positions) =>
        string.Join('|', positions.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}@{p.Value.ToString(CultureInfo.InvariantCulture)}"));

    public static bool TryParse(string? token, out Dictionary<string, long> positions)
    {
        positions = new Dictionary<string, long>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(token))
        {
            return true;
        }
        foreach (var part in token.Split('|'))
        {
            var at = part.LastIndexOf('@');
            if (at <= 0
                || !ChannelName.TryParse(part[..at], out _)
                || !long.TryParse(part.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
                || seq > Protocol.ClientFrame.MaxPosition
                || !positions.TryAdd(part[..at], seq))
            {
                positions.Clear();
                return false;
            }
        }
        return true;
    }

    /// <summary>Splits <c>?channels=a,b</c>, without duplicates, keeping order.</summary>
    public static string[] ParseChannelList(string? channels) =>
        string.IsNullOrWhiteSpace(channels) ? [] : [.. channels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];
}
