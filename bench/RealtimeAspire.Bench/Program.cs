using RealtimeAspire.Bench.Cli;
using RealtimeAspire.Bench.Scenarios;

var parsed = BenchArguments.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        await Console.Error.WriteLineAsync($"error: {error}");
    }
    await Console.Error.WriteLineAsync(BenchArguments.Usage);
    return 2;
}
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };
return await ScenarioRunner.RunAsync(parsed.Options!, cancellation.Token);
