using System.Globalization;
using RealtimeAspire.Hosting.Orchestration;

namespace RealtimeAspire.Hosting.Tests;

public sealed class ProcessLauncherTests
{
    [Fact]
    public async Task AProcessRunsAtItsResourcesNicenessRelativeToTheAppHosts()
    {
        using var launcher = new ProcessLauncher();

        var normal = await NicenessOfAsync(launcher, 0);
        var later = await NicenessOfAsync(launcher, 7);

        Assert.InRange(normal, -20, 12);
        Assert.Equal(normal + 7, later);
    }

    [Fact]
    public void ANiceCommandIsPutInFrontOnlyForANicenessOtherThanZero()
    {
        using var launcher = new ProcessLauncher();

        var normal = launcher.CreateStartInfo(new ProcessSpec("redis-server", ["--port", "6379"]));
        var first = launcher.CreateStartInfo(new ProcessSpec("redis-server", ["--port", "6379"]) { Niceness = -5 });

        Assert.DoesNotContain(normal.ArgumentList.Prepend(normal.FileName), a => a.EndsWith("/nice", StringComparison.Ordinal));
        Assert.EndsWith("/nice", first.FileName, StringComparison.Ordinal);
        Assert.Equal(["-n", "-5", "--"], first.ArgumentList.Take(3));
        Assert.Equal(["redis-server", "--port", "6379"], first.ArgumentList.TakeLast(3));
    }

    /// <summary>Starts a process at <paramref name="niceness"/> that prints its own (field 19 of /proc/self/stat).</summary>
    private static async Task<int> NicenessOfAsync(ProcessLauncher launcher, int niceness)
    {
        var lines = new List<string>();
        var spec = new ProcessSpec("sh", ["-c", "cut -d' ' -f19 /proc/self/stat"]) { Niceness = niceness };
        using var process = await launcher.StartAsync(spec, line => { lock (lines) { lines.Add(line); } });
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        process.WaitForExit(); // and the output handlers have run
        lock (lines)
        {
            return int.Parse(Assert.Single(lines), CultureInfo.InvariantCulture);
        }
    }
}
