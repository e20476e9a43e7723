using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace RealtimeAspire.Contracts;

/// <summary>
/// A channel: <c>namespace:name</c> (<c>chat:room-1</c>, <c>feed:scores</c>, <c>user:alice</c>). The namespace selects
/// the channel's configuration; the characters are restricted so names embed safely in Redis keys, stream positions
/// (<c>@</c>, <c>|</c> and <c>,</c> never occur) and URLs.
/// </summary>
public readonly partial record struct ChannelName(string Namespace, string Name)
{
    public const int MaxLength = 160;

    /// <summary>What an API answers for a channel that <see cref="TryParse"/> refuses.</summary>
    public const string InvalidMessage = "Not a channel name (namespace:name).";

    public string Value => $"{Namespace}:{Name}";

    public override string ToString() => Value;

    public static bool TryParse([NotNullWhen(true)] string? value, out ChannelName channel)
    {
        channel = default;
        if (value is null || value.Length > MaxLength)
        {
            return false;
        }
        var match = Pattern().Match(value);
        if (!match.Success)
        {
            return false;
        }
        channel = new ChannelName(match.Groups[1].Value, match.Groups[2].Value);
        return true;
    }

    public static ChannelName Parse(string value) =>
        TryParse(value, out var channel) ? channel : throw new FormatException($"'{value}' is not a channel name (namespace:name).");

    [GeneratedRegex(@"^([a-z][a-z0-9_-]{0,31}):([A-Za-z0-9_.=~-][A-Za-z0-9_.=~:-]{0,127})$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
