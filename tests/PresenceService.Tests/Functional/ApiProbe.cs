using System.Diagnostics;
using System.Globalization;

namespace RealtimeAspire.PresenceService.Tests.Functional;

/// <summary>One answer the probe got: its HTTP status and how long the request took.</summary>
public readonly record struct ProbeAnswer(int Status, double Milliseconds);

/// <summary>
/// Asks an API from a process of its own: curl, one kept-alive connection, at a fixed rate, printing each answer's
/// status and time. What a client elsewhere sees, without this test host's garbage collections: while the test host
/// held a storm's 2,000 sockets, its own stopwatch was measured adding 40–90 ms pauses to the API's answers.
/// </summary>
public sealed class ApiProbe : IDisposable
{
    private readonly Process _curl;
    private readonly Task<string> _output;
    private readonly string _config;

    private ApiProbe(Process curl, string config)
    {
        _curl = curl;
        _config = config;
        _output = curl.StandardError.ReadToEndAsync();
    }

    /// <summary>Starts asking for <paramref name="paths"/> in turn, at most <paramref name="perSecond"/> a second.</summary>
    public static ApiProbe Start(Uri service, string token, IEnumerable<string> paths, int perSecond)
    {
        // The token goes in the config file, not on a command line every process on the machine can read.
        var config = Path.GetTempFileName();
        File.WriteAllLines(config, [
            $"header = \"Authorization: Bearer {token}\"",
            .. paths.SelectMany(path => new[] { $"url = \"{new Uri(service, path)}\"", "output = \"/dev/null\"" }),
        ]);
        var info = new ProcessStartInfo("curl", ["--silent", "--globoff", "--rate", $"{perSecond}/s", "--config", config,
            // stderr is unbuffered: every answer is readable even when the probe is stopped by a kill.
            "--write-out", "%{stderr}%{http_code} %{time_total}\n"])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return new ApiProbe(Process.Start(info) ?? throw new InvalidOperationException("curl did not start"), config);
    }

    /// <summary>Every answer, once the probe has asked for every path.</summary>
    public async Task<IReadOnlyList<ProbeAnswer>> CompletedAsync(TimeSpan timeout)
    {
        await _curl.WaitForExitAsync().WaitAsync(timeout);
        return Parse(await _output);
    }

    /// <summary>Stops asking; the answers so far.</summary>
    public async Task<IReadOnlyList<ProbeAnswer>> StopAsync()
    {
        _curl.Kill();
        await _curl.WaitForExitAsync();
        return Parse(await _output);
    }

    public void Dispose()
    {
        if (!_curl.HasExited)
        {
            _curl.Kill();
        }
        _curl.Dispose();
        File.Delete(_config);
    }

    // Only whole lines ("200 0.004512"): a kill may cut the last one.
    private static List<ProbeAnswer> Parse(string output)
    {
        var answers = new List<ProbeAnswer>();
        foreach (var line in output[..(output.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ');
            if (fields.Length == 2
                && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var status)
                && double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                answers.Add(new ProbeAnswer(status, seconds * 1000));
            }
        }
        return answers;
    }
}
