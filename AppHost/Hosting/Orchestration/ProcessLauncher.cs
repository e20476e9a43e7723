using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace RealtimeAspire.Hosting.Orchestration;

/// <summary>
/// Starts every child process from one dedicated, long-lived thread, wrapped in <c>setpriv --pdeathsig KILL</c>:
/// Linux delivers the parent-death signal when the thread that forked the child ends, so a thread-pool thread
/// would kill children at random, while this thread lives exactly as long as the AppHost.
/// Children therefore die with the AppHost even when it is killed with SIGKILL. A niceness other than 0 is applied
/// by <c>nice</c> in front (it execs, so the process keeps its id and its parent).
/// </summary>
public sealed class ProcessLauncher : IDisposable
{
    private readonly BlockingCollection<LaunchRequest> _requests = [];
    private readonly string? _setpriv = OperatingSystem.IsLinux() ? ExecutableLocator.Find("setpriv") : null;
    private readonly string? _nice = OperatingSystem.IsWindows() ? null : ExecutableLocator.Find("nice");
    private readonly bool _isRoot = OperatingSystem.IsLinux() && Environment.UserName == "root";

    public ProcessLauncher()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "RealtimeAspire process launcher" };
        thread.Start();
    }

    public Task<Process> StartAsync(ProcessSpec spec, Action<string> onOutput)
    {
        var request = new LaunchRequest(CreateStartInfo(spec), onOutput, new(TaskCreationOptions.RunContinuationsAsynchronously));
        _requests.Add(request);
        return request.Started.Task;
    }

    public void Dispose() => _requests.CompleteAdding();

    internal ProcessStartInfo CreateStartInfo(ProcessSpec spec)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        var command = new List<string>();
        if (spec.Niceness != 0 && _nice is not null)
        {
            command.AddRange([_nice, "-n", spec.Niceness.ToString(CultureInfo.InvariantCulture), "--"]);
        }
        if (_setpriv is not null)
        {
            command.AddRange([_setpriv, "--pdeathsig", "KILL"]);
            if (spec.RunAsUser is { } user && _isRoot)
            {
                command.AddRange([$"--reuid={user}", $"--regid={user}", "--init-groups"]);
            }
            command.Add("--");
        }
        command.Add(spec.FileName);
        command.AddRange(spec.Arguments);
        info.FileName = command[0];
        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in spec.Environment)
        {
            info.Environment[key] = value;
        }
        return info;
    }

    private void Run()
    {
        foreach (var request in _requests.GetConsumingEnumerable())
        {
            try
            {
                var process = new Process { StartInfo = request.StartInfo, EnableRaisingEvents = true };
                process.OutputDataReceived += (_, e) => { if (e.Data is not null) request.OnOutput(e.Data); };
                process.ErrorDataReceived += (_, e) => { if (e.Data is not null) request.OnOutput(e.Data); };
                process.Start();
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                request.Started.SetResult(process);
            }
            catch (Exception ex)
            {
                request.Started.SetException(ex);
            }
        }
    }

    private sealed record LaunchRequest(ProcessStartInfo StartInfo, Action<string> OnOutput, TaskCompletionSource<Process> Started);
}
