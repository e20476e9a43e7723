namespace RealtimeAspire.Bench.Cli;

/// <summary>Options when the command line was valid, otherwise every error found.</summary>
internal sealed record ParseResult(BenchOptions? Options, IReadOnlyList<string> Errors);
