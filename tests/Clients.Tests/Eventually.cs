using RealtimeAspire.Testing;

namespace RealtimeAspire.Clients.Tests;

/// <summary>The client tests' bounded waits: <see cref="BoundedWait"/>, asking every 20 ms (client state changes fast).</summary>
public static class Eventually
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(20);

    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        BoundedWait.UntilAsync(() => Task.FromResult(condition()), timeout, what, pause: Pause);

    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        BoundedWait.UntilAsync(condition, timeout, what, pause: Pause);

    public static Task ConnectedAsync(RealtimeAspire.Client.RealtimeClient client, TimeSpan timeout) =>
        client.ConnectAsync().WaitAsync(timeout);
}
