using System.Collections.Concurrent;
using Aspire.Hosting.ApplicationModel;

namespace RealtimeAspire.Testing;

/// <summary>The latest snapshot of every resource, kept from Aspire's notifications, and waits on them.</summary>
public sealed class ResourceStates : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ResourceEvent> _latest = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;
    private TaskCompletionSource _changed = NewSignal();

    public ResourceStates(ResourceNotificationService notifications)
    {
        _watching = WatchAsync(notifications, _stop.Token);
    }

    public CustomResourceSnapshot? this[string name] => _latest.TryGetValue(name, out var e) ? e.Snapshot : null;

    public IEnumerable<string> Names => _latest.Keys.Order(StringComparer.Ordinal);

    /// <summary>Re-evaluates <paramref name="condition"/> on every change (and every 250 ms, for what a change implies indirectly).</summary>
    public async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            var changed = Volatile.Read(ref _changed).Task;
            await Task.WhenAny(changed, Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken)).WaitAsync(cancellationToken);
        }
    }

    private async Task WatchAsync(ResourceNotificationService notifications, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var change in notifications.WatchAsync(cancellationToken))
            {
                _latest[change.Resource.Name] = change;
                Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        _stop.Dispose();
    }
}
