using System.Runtime.InteropServices;

namespace RealtimeAspire.Hosting.Orchestration;

/// <summary>POSIX signals, sent directly: <see cref="System.Diagnostics.Process.Kill()"/> only knows SIGKILL.</summary>
public static partial class Signals
{
    public const int Int = 2;
    public const int Kill = 9;
    public const int Term = 15;

    public static bool Send(int pid, int signal) => OperatingSystem.IsWindows() || kill(pid, signal) == 0;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
