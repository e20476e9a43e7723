namespace RealtimeAspire.Testing;

/// <summary>The one poller of the test suites: a condition asked again after a short pause, within a bounded time.</summary>
public static class BoundedWait
{
    /// <summary>
    /// Polls <paramref name="condition"/> until it holds; an exception that <paramref name="isTransient"/> accepts counts
    /// as "not yet". On timeout, fails with <paramref name="what"/>, the last transient error and <paramref name="describe"/>.
    /// </summary>
    public static async Task UntilAsync(
        Func<Task<bool>> condition,
        TimeSpan timeout,
        string what,
        Func<Exception, bool>? isTransient = null,
        Func<Task<string>>? describe = null,
        TimeSpan? pause = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition().WaitAsync(timeout))
                {
                    return;
                }
                last = null;
            }
            catch (Exception ex) when (ex is TimeoutException or TaskCanceledException or HttpRequestException || isTransient?.Invoke(ex) == true)
            {
                last = ex;
            }
            // A pause inside a bounded loop, not synchronisation: the condition decides.
            await Task.Delay(pause ?? TimeSpan.FromMilliseconds(100));
        }
        var state = describe is null ? "" : await describe().WaitAsync(TimeSpan.FromSeconds(30));
        throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}. {last?.Message}\n{state}");
    }
}
