namespace RealtimeAspire.Clients.Tests;

/// <summary>Bounded waits on conditions (never a fixed sleep): polls every 20 ms until the condition holds or the bound passes.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!condition())
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}.");
            }
        }
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (!await condition().WaitAsync(cts.Token))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), cts.Token);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}.");
        }
    }

    public static Task ConnectedAsync(RealtimeAspire.Client.RealtimeClient client, TimeSpan timeout) =>
        client.ConnectAsync().WaitAsync(timeout);
}
