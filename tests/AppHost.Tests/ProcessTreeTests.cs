using System.Diagnostics;
using RealtimeAspire.AppHost.Topology;
using RealtimeAspire.Testing;

namespace RealtimeAspire.AppHost.Tests;

public sealed class ProcessTreeTests
{
    [Fact]
    public async Task FindsTheChildOfALauncherAndTheThreadsOfAProcess()
    {
        // A shell that starts a child and waits: the shape of `dotnet run` and the service it runs.
        using var launcher = Process.Start(new ProcessStartInfo("sh", ["-c", "sleep 30 & wait"]) { UseShellExecute = false })!;
        try
        {
            // Until the forked child has exec'd sleep (between fork and exec it has no command line of its own).
            await BoundedWait.UntilAsync(() => Task.FromResult(ProcessTree.Children(launcher.Id) is [var forked] && ProcessTree.CommandLine(forked).Contains("sleep", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(10), "the launcher's child");

            var child = Assert.Single(ProcessTree.Children(launcher.Id));
            Assert.Contains("sleep", ProcessTree.CommandLine(child), StringComparison.Ordinal);
            Assert.Equal([launcher.Id, child], ProcessTree.SelfAndDescendants(launcher.Id));
            Assert.Contains(Environment.ProcessId, ProcessTree.Threads(Environment.ProcessId));
            Assert.True(ProcessTree.Threads(Environment.ProcessId).Count > 1);
        }
        finally
        {
            // Killing the child ends the shell's wait, so the shell may be gone before it is asked to go.
            launcher.Kill(entireProcessTree: true);
        }
    }
}
