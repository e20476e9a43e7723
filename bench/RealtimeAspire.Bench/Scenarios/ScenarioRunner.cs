using RealtimeAspire.Bench.Cli;
using RealtimeAspire.Bench.Reporting;

namespace RealtimeAspire.Bench.Scenarios;

internal static class ScenarioRunner
{
    public static async Task<int> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        using var context = await BenchContext.CreateAsync(options, cancellationToken);
        var startedAt = DateTimeOffset.UtcNow;
        Console.WriteLine($"{options.Scenario} via {options.Via.ToString().ToLowerInvariant()}, run {context.RunId}, " +
            $"{Environment.ProcessorCount} cores shared by the bench client and every server");
        var (runs, comparisons) = options.Scenario switch
        {
            "fanout" => await FanoutScenario.RunAsync(context, cancellationToken),
            "chat" => await ChatScenario.RunAsync(context, cancellationToken),
            "connections" => await ConnectionsScenario.RunAsync(context, cancellationToken),
            "persist" => await PersistScenario.RunAsync(context, cancellationToken),
            "presence" => await PresenceScenario.RunAsync(context, cancellationToken),
            _ => throw new InvalidOperationException($"unknown scenario {options.Scenario}"),
        };
        if (comparisons.Count > 0)
        {
            var table = new ConsoleTable("metric", "product", "reference", "product/reference");
            foreach (var c in comparisons)
            {
                table.Add(c.Metric, c.Product, c.Reference, c.Ratio);
            }
            Console.WriteLine(table);
        }
        if (options.Out is { } path)
        {
            var report = new BenchReport(options.Scenario, options.Via.ToString().ToLowerInvariant(), startedAt,
                Environment.ProcessorCount, Parameters(options), runs, comparisons,
                options.Scenario == "presence" ? PresenceScenario.Medians([.. runs.Cast<PresenceRun>()]) : null);
            await ReportWriter.WriteAsync(report, path, cancellationToken);
            Console.WriteLine($"wrote {path}");
        }
        // A run whose correctness check failed measured something else: the exit code says so after the JSON is kept.
        var failures = runs.OfType<PresenceRun>().Select(r => r.Failure).OfType<string>().ToArray();
        foreach (var failure in failures)
        {
            await Console.Error.WriteLineAsync($"FAILED: {failure}");
        }
        return failures.Length > 0 ? 1 : 0;
    }

    internal static IReadOnlyDictionary<string, object> Parameters(BenchOptions o) => o.Scenario switch
    {
        "fanout" => new Dictionary<string, object> { ["subscribers"] = o.Subscribers, ["rate"] = o.Rate, ["duration"] = o.Duration, ["size"] = o.Size, ["namespace"] = o.Namespace },
        "chat" => new Dictionary<string, object> { ["rooms"] = o.Rooms, ["members"] = o.Members, ["rate"] = o.Rate, ["duration"] = o.Duration, ["size"] = o.Size },
        "connections" => new Dictionary<string, object> { ["connections"] = o.Connections, ["transports"] = o.Transports, ["replica"] = o.Replica },
        "presence" => new Dictionary<string, object> { ["members"] = o.Members, ["concurrency"] = o.Concurrency, ["leave"] = o.Leave, ["quiet"] = o.QuietSeconds, ["settleTimeout"] = o.SettleTimeoutSeconds, ["rounds"] = o.Rounds },
        _ => new Dictionary<string, object> { ["messages"] = o.Messages, ["publishers"] = o.Publishers, ["channels"] = o.Channels, ["size"] = o.Size },
    };
}
