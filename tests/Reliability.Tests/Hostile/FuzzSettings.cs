using System.Globalization;

namespace RealtimeAspire.Reliability.Tests.Hostile;

/// <summary>
/// How much the fuzzers run and from which seed. CI runs the short level with a fresh seed each time and prints it;
/// <c>RELIABILITY_FUZZ_SEED=n</c> replays a run, <c>RELIABILITY_FUZZ_LONG=1</c> runs <see cref="LongFactor"/> times as
/// many cases (docs/reliability.md, "Hostile input").
/// </summary>
public static class FuzzSettings
{
    public const string SeedVariable = "RELIABILITY_FUZZ_SEED";
    public const string LongVariable = "RELIABILITY_FUZZ_LONG";
    public const int LongFactor = 50;

    public static int Seed { get; } = Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } text
        ? int.Parse(text, CultureInfo.InvariantCulture)
        : Random.Shared.Next();

    public static bool IsLong => Environment.GetEnvironmentVariable(LongVariable) is "1" or "true";

    /// <summary>The short level's count, or <see cref="LongFactor"/> times it in the long mode.</summary>
    public static int Cases(int shortCount) => IsLong ? shortCount * LongFactor : shortCount;

    /// <summary>A generator for one fuzzer: the run's seed mixed with the fuzzer's name, so fuzzers do not share a sequence.</summary>
    public static Random RandomFor(string fuzzer) => new(unchecked(Seed * 31 + StableHash(fuzzer)));

    /// <summary>What a failure message starts with: enough to replay the case.</summary>
    public static string Replay(string fuzzer, int caseIndex) =>
        string.Create(CultureInfo.InvariantCulture, $"[{fuzzer} case {caseIndex}; replay with {SeedVariable}={Seed}{(IsLong ? $" {LongVariable}=1" : "")}]");

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked(hash * 31 + c);
        }
        return hash;
    }
}
