using System.Globalization;

namespace RealtimeAspire.Reliability.Tests.Scenario;

/// <summary>
/// How long each scenario holds its load: <c>RELIABILITY_LOAD_SECONDS</c> (default <see cref="ShortLoadSeconds"/>, the
/// CI run; 600 for the long mode of docs/reliability.md). A scenario whose fault lasts longer holds its load at least
/// as long as the fault and a margin.
/// </summary>
public static class ScenarioSettings
{
    public const string LoadSecondsVariable = "RELIABILITY_LOAD_SECONDS";

    public const int ShortLoadSeconds = 12;

    public static TimeSpan LoadDuration { get; } = TimeSpan.FromSeconds(ReadLoadSeconds());

    /// <summary>The load of a scenario whose fault lasts <paramref name="fault"/>: the configured length, or the fault with room before and after it.</summary>
    public static TimeSpan LoadDurationAround(TimeSpan fault) =>
        LoadDuration > fault + TimeSpan.FromSeconds(10) ? LoadDuration : fault + TimeSpan.FromSeconds(10);

    private static int ReadLoadSeconds()
    {
        var text = Environment.GetEnvironmentVariable(LoadSecondsVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return ShortLoadSeconds;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 3 and <= 3600
            ? seconds
            : throw new InvalidOperationException($"{LoadSecondsVariable} must be a whole number of seconds from 3 to 3600, not '{text}'.");
    }
}
