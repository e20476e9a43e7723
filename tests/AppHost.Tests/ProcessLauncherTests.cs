using RealtimeAspire.Hosting.Orchestration;

namespace RealtimeAspire.Hosting.Tests;

public sealed class ProcessLauncherTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public async Task AProcessRunsAtItsResourcesNiceness(int niceness)
    {
        using var launcher = new ProcessLauncher();
        var lines = new List<string>();
        // Field 19 of /proc/self/stat is the niceness of the process reading it.
        var spec = new ProcessSpec("sh", ["-c", "cut -d' ' -f19 /proc/self/stat"]) { Niceness = niceness };

        using var process = await launcher.StartAsync(spec, line => { lock (lines) { lines.Add(line); } });
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        process.WaitForExit(); // and the output handlers have run

        lock (lines)
        {
            Assert.Equal([niceness.ToString(System.Globalization.CultureInfo.InvariantCulture)], lines);
        }
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
}
