using System.Diagnostics;
using RealtimeAspire.Hosting.Resources;

namespace RealtimeAspire.Hosting.Orchestration;

/// <summary>
/// One running copy of a resource and its supervisor. The loop:
/// 1. wait until every resource this one waits for is healthy;
/// 2. prepare and start the process (or, for an external server, nothing);
/// 3. probe health until the process exits or a stop is requested;
/// 4. after an unrequested exit, restart with exponential backoff; after a requested stop, wait for a start.
/// </summary>
public sealed class ResourceInstance
{
    private readonly ResourceOrchestrator _orchestrator;

    internal ResourceOrchestrator Orchestrator => _orchestrator;

    private readonly Lock _gate = new();
    private TaskCompletionSource _startRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _runCts;
    private volatile bool _stopRequested;
    private volatile bool _restartRequested;
    private int _failuresInARow;

    internal ResourceInstance(ResourceOrchestrator orchestrator, Resource resource, int replica, IReadOnlyList<Uri> endpoints)
    {
        _orchestrator = orchestrator;
        Resource = resource;
        Replica = replica;
        Name = resource.InstanceName(replica);
        Endpoints = endpoints;
    }

    public Resource Resource { get; }
    public string Name { get; }
    public int Replica { get; }
    public IReadOnlyList<Uri> Endpoints { get; }
    public ResourceState State { get; private set; } = ResourceState.Waiting;
    public HealthState Health { get; private set; } = HealthState.Unknown;
    public int? ProcessId { get; private set; }
    public int Restarts { get; private set; }
    public int? ExitCode { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public LogBuffer Logs { get; } = new();

    /// <summary>Connection strings this instance was started with, so a changed one (a restarted broker) restarts it.</summary>
    internal IReadOnlyDictionary<string, string> ConnectionStringsAtStart { get; private set; } = new Dictionary<string, string>();

    internal async Task RunAsync(CancellationToken shutdown)
    {
        var process = (IProcessResource)Resource;
        while (!shutdown.IsCancellationRequested)
        {
            Task startRequested;
            lock (_gate)
            {
                startRequested = _startRequested.Task;
            }
            if (_stopRequested)
            {
                try
                {
                    await startRequested.WaitAsync(shutdown);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                continue;
            }

            using var run = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
            lock (_gate)
            {
                _runCts = run;
            }
            try
            {
                await RunOnceAsync(process, run.Token);
            }
            catch (OperationCanceledException) when (run.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                _orchestrator.Log.StartFailed(Name, ex.Message);
                Logs.Add($"[apphost] start failed: {ex.Message}");
                SetState(ResourceState.FailedToStart, HealthState.Unhealthy);
            }
            finally
            {
                lock (_gate)
                {
                    _runCts = null;
                }
            }

            if (shutdown.IsCancellationRequested)
            {
                break;
            }
            if (_stopRequested)
            {
                SetState(ResourceState.Stopped, HealthState.Unknown);
                continue;
            }
            Restarts++;
            if (_restartRequested)
            {
                // A requested restart is not a failure: no backoff.
                _restartRequested = false;
                continue;
            }

            var delay = _orchestrator.Options.RestartBackoff(_failuresInARow++);
            _orchestrator.Log.Restarting(Name, delay.TotalSeconds);
            try
            {
                await Task.Delay(delay, _orchestrator.TimeProvider, shutdown);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task RunOnceAsync(IProcessResource resource, CancellationToken cancellationToken)
    {
        SetState(ResourceState.Waiting, HealthState.Unknown);
        await _orchestrator.WaitForDependenciesAsync(Resource, cancellationToken);

        SetState(ResourceState.Starting, HealthState.Unknown);
        ConnectionStringsAtStart = _orchestrator.ReferencedConnectionStrings(Resource);
        if (resource.IsExternal)
        {
            StartedAt = _orchestrator.TimeProvider.GetUtcNow();
            SetState(ResourceState.Running, HealthState.Unknown);
            await MonitorHealthAsync(resource, Task.Delay(Timeout.Infinite, cancellationToken), cancellationToken);
            return;
        }

        await resource.PrepareAsync(this, cancellationToken);
        var spec = resource.CreateProcessSpec(this) with { Niceness = Resource.Niceness };
        using var child = await _orchestrator.Launcher.StartAsync(spec, line =>
        {
            Logs.Add(line);
            resource.OnOutput(this, line);
        });
        ProcessId = child.Id;
        ExitCode = null;
        StartedAt = _orchestrator.TimeProvider.GetUtcNow();
        SetState(ResourceState.Running, HealthState.Unknown);

        try
        {
            await MonitorHealthAsync(resource, child.WaitForExitAsync(CancellationToken.None), cancellationToken);
        }
        finally
        {
            if (!child.HasExited)
            {
                SetState(ResourceState.Stopping, Health);
                await StopProcessAsync(child, spec.StopSignal);
            }
            ExitCode = child.ExitCode;
            ProcessId = null;
            if (!_stopRequested && !_restartRequested)
            {
                _orchestrator.Log.Exited(Name, child.ExitCode);
                SetState(ResourceState.Exited, HealthState.Unhealthy);
            }
        }
    }

    /// <summary>Probes until <paramref name="exited"/> completes or the run is cancelled.</summary>
    private async Task MonitorHealthAsync(IProcessResource resource, Task exited, CancellationToken cancellationToken)
    {
        var options = _orchestrator.Options;
        var readyHookDone = false;
        while (!exited.IsCompleted)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool healthy;
            using (var probeTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                probeTimeout.CancelAfter(options.ProbeTimeout);
                try
                {
                    healthy = await resource.ProbeAsync(this, probeTimeout.Token);
                    if (healthy && !readyHookDone)
                    {
                        await resource.OnReadyAsync(this, probeTimeout.Token);
                        readyHookDone = true;
                    }
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    healthy = false;
                    if (Health == HealthState.Healthy)
                    {
                        Logs.Add($"[apphost] health probe failed: {ex.Message}");
                    }
                }
            }
            if (healthy)
            {
                _failuresInARow = 0;
            }
            // Until the first success the instance is still starting, not unhealthy.
            SetState(State, healthy ? HealthState.Healthy : Health == HealthState.Unknown ? HealthState.Unknown : HealthState.Unhealthy);

            var interval = Health == HealthState.Healthy ? options.ProbeInterval : options.StartupProbeInterval;
            await Task.WhenAny(exited, Task.Delay(interval, _orchestrator.TimeProvider, cancellationToken));
        }
        await exited;
    }

    private async Task StopProcessAsync(Process child, int signal)
    {
        Signals.Send(child.Id, signal);
        using var timeout = new CancellationTokenSource(_orchestrator.Options.StopTimeout);
        try
        {
            await child.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _orchestrator.Log.KilledAfterStopTimeout(Name);
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>Stops the instance and keeps it down until <see cref="Start"/>.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopRequested = true;
            _runCts?.Cancel();
        }
        if (State is not ResourceState.Starting and not ResourceState.Running and not ResourceState.Stopping)
        {
            SetState(ResourceState.Stopped, HealthState.Unknown);
        }
    }

    internal Task WaitUntilDownAsync(CancellationToken cancellationToken) =>
        _orchestrator.Notifications.WaitUntilAsync(
            () => State is not (ResourceState.Starting or ResourceState.Running or ResourceState.Stopping),
            cancellationToken);

    public void Start()
    {
        lock (_gate)
        {
            _stopRequested = false;
            _failuresInARow = 0;
            _startRequested.TrySetResult();
            _startRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Stops the running process (if any) and starts it again at once.</summary>
    public void Restart()
    {
        lock (_gate)
        {
            _failuresInARow = 0;
            if (_stopRequested)
            {
                _stopRequested = false;
                _startRequested.TrySetResult();
                _startRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
                return;
            }
            _restartRequested = true;
            _runCts?.Cancel();
        }
    }

    private void SetState(ResourceState state, HealthState health)
    {
        if (State == state && Health == health)
        {
            return;
        }
        var previous = State;
        State = state;
        Health = health;
        if (previous != state || health != HealthState.Unknown)
        {
            _orchestrator.Log.StateChanged(Name, state, health, ProcessId);
        }
        _orchestrator.Notifications.Publish(this);
    }
}
