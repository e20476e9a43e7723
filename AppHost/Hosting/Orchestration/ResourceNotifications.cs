namespace RealtimeAspire.Hosting.Orchestration;

/// <summary>
/// Lets anyone wait for a condition over resource state without polling: every state or health change
/// completes the current generation's task and the waiters re-evaluate.
/// </summary>
public sealed class ResourceNotifications
{
    private TaskCompletionSource _changed = NewSignal();

    public event Action<ResourceInstance>? InstanceChanged;

    internal void Publish(ResourceInstance instance)
    {
        InstanceChanged?.Invoke(instance);
        Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
    }

    public async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (condition())
            {
                return;
            }
            await changed.WaitAsync(cancellationToken);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
