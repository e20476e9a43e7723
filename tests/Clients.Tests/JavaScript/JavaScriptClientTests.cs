using Xunit.Abstractions;

namespace RealtimeAspire.Clients.Tests.JavaScript;

/// <summary>One test per Node test file of clients/js/test, against the real topology; node's output is the test's output.</summary>
[Collection(nameof(ClientTopologyCollection))]
public sealed class JavaScriptClientTests(ClientTopologyFixture fixture, ITestOutputHelper output)
{
    public static TheoryData<string> TestFiles() =>
        [.. Directory.GetFiles(Path.Combine(NodeTestRun.ClientFolder, "test"), "*.test.mjs").Select(f => Path.GetFileName(f)).Order()];

    [Theory]
    [MemberData(nameof(TestFiles))]
    public async Task NodeTestFilePasses(string testFile)
    {
        var (exitCode, log, killed) = await NodeTestRun.RunAsync(testFile, fixture, TimeSpan.FromMinutes(5));
        output.WriteLine(log);
        // Replicas the file had killed (or drained, then killed) come back before the next test.
        foreach (var replica in killed.Distinct())
        {
            await fixture.RestoreEveryReplicaAsync(CancellationToken.None, restarted: replica);
        }
        Assert.True(exitCode == 0, $"node --test {testFile} exited with {exitCode}:\n{log}");
    }
}
