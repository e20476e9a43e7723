using System.Reflection;

namespace RealtimeAspire.Hosting.Testing;

/// <summary>
/// Our equivalent of Aspire.Hosting.Testing's interception: runs the AppHost's own <c>Program</c> with the test's
/// arguments and takes the application it builds, stopping <c>Program</c> before it calls <c>Run()</c>.
/// Tests thereby start exactly the topology <c>AppHost/Program.cs</c> declares.
/// </summary>
public static class DistributedApplicationEntryPoint
{
    private static readonly AsyncLocal<Capture?> s_capture = new();

    public static DistributedApplication Build(Assembly appHostAssembly, params string[] args)
    {
        var entryPoint = appHostAssembly.EntryPoint ?? throw new ArgumentException($"{appHostAssembly.GetName().Name} has no entry point.", nameof(appHostAssembly));
        var capture = new Capture();
        s_capture.Value = capture;
        try
        {
            entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? [] : [args]);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is CapturedException)
        {
        }
        finally
        {
            s_capture.Value = null;
        }
        return capture.Application ?? throw new InvalidOperationException("The AppHost's entry point returned without building an application.");
    }

    internal static void OnBuilt(DistributedApplication application)
    {
        if (s_capture.Value is { } capture)
        {
            capture.Application = application;
            throw new CapturedException();
        }
    }

    private sealed class Capture
    {
        public DistributedApplication? Application { get; set; }
    }

    private sealed class CapturedException() : Exception("The application was captured for a test.");
}
