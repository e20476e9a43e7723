using System.Collections.Concurrent;
using System.Diagnostics;

namespace RealtimeAspire.Hosting.Orchestration;

/// <summary>
/// Starts every child process from one dedicated, long-lived thread, wrapped in <c>setpriv --pdeathsig KILL</c>:
/// Linux delivers the parent-death signal when the thread that forked the child ends, so a thread-pool thread
/// would kill children at random, while this thread lives exactly as long as the AppHost.
/// Children therefore die with the AppHost even when it is killed with SIGKILL.
/// </summary>
public sealed class ProcessLauncher : IDisposable
{
    private readonly BlockingCollection<LaunchRequest> _requests = [];
    private readonly string? _setpriv = OperatingSystem.IsLinux() ? ExecutableLocator.Find("setpriv") : null;
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
        if (_setpriv is null)
        {
            info.FileName = spec.FileName;
        }
        else
        {
            info.FileName = _setpriv;
            info.ArgumentList.Add("--pdeathsig");
            info.ArgumentList.Add("KILL");
            if (spec.RunAsUser is { } user && _isRoot)
            {
                info.ArgumentList.Add($"--reuid={user}");
                info.ArgumentList.Add($"--regid={user}");
                info.ArgumentList.Add("--init-groups");
            }
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(spec.FileName);
        }
        foreach (var argument in spec.Arguments)
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
