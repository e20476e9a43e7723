using Microsoft.Extensions.Options;
using RealtimeAspire.ConnectionService.Diagnostics;

namespace RealtimeAspire.ConnectionService.History;

/// <summary>
/// Coalesces this replica's claims of channels found without a counter into one <c>POST /internal/channels/claims</c>:
/// one request, one statement and one commit at Message.Service for a burst of first publishes (a chat's rooms opening
/// at once), instead of one each. A batch is sent when it is full (<see cref="ClaimBatchOptions.MaxChannels"/>) or
/// when its first claim has waited <see cref="ClaimBatchOptions.Window"/>; batches do not wait for each other.
/// The answer only tells new from known: a known channel is then claimed alone by <see cref="SequenceRecoveryClient"/>.
/// </summary>
public sealed class SequenceClaimBatcher(IHttpClientFactory httpClients, IOptions<ClaimBatchOptions> options, TimeProvider time, ConnectionMetrics metrics, ILogger<SequenceClaimBatcher> logger)
{
    private readonly Lock _gate = new();
    private Batch? _collecting;

    /// <summary>True when the channel was never claimed (this batch wrote its row: its counter starts at 0), false when it is known.</summary>
    public Task<bool> IsNewAsync(string channel)
    {
        var settings = options.Value;
        var waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Batch? full = null;
        Batch? opened = null;
        lock (_gate)
        {
            if (_collecting is null)
            {
                _collecting = opened = new Batch();
            }
            _collecting.Add(channel, waiter);
            if (_collecting.Count >= settings.MaxChannels)
            {
                full = _collecting;
                _collecting = null;
            }
        }
        if (full is not null)
        {
            _ = SendAsync(full);
        }
        else if (opened is not null)
        {
            _ = SendAfterWindowAsync(opened, settings.Window);
        }
        return waiter.Task;
    }

    private async Task SendAfterWindowAsync(Batch batch, TimeSpan window)
    {
        // Zero: only the claims that arrive while this one yields its thread join it.
        if (window > TimeSpan.Zero)
        {
            await Task.Delay(window, time);
        }
        else
        {
            await Task.Yield();
        }
        lock (_gate)
        {
            if (_collecting != batch)
            {
                return;
            }
            _collecting = null;
        }
        await SendAsync(batch);
    }

    private async Task SendAsync(Batch batch)
    {
        var started = time.GetTimestamp();
        try
        {
            var channels = batch.Channels;
            using var response = await httpClients.CreateClient(SequenceRecoveryClient.HttpClientName)
                .PostAsJsonAsync("/internal/channels/claims", new ClaimBatchRequest(channels));
            response.EnsureSuccessStatusCode();
            var answer = await response.Content.ReadFromJsonAsync<ClaimBatchAnswer>()
                ?? throw new InvalidOperationException("Message.Service answered nothing.");
            var fresh = answer.New.ToHashSet(StringComparer.Ordinal);
            var known = answer.Known.ToHashSet(StringComparer.Ordinal);
            metrics.ClaimBatch(channels.Count, fresh.Count, time.GetElapsedTime(started).TotalMilliseconds);
            logger.ClaimBatchAnswered(channels.Count, fresh.Count, known.Count);
            foreach (var (channel, waiters) in batch.Waiters)
            {
                // A name in neither list would be Message.Service's error; it is not taken for new.
                var result = fresh.Contains(channel) ? (bool?)true : known.Contains(channel) ? false : null;
                foreach (var waiter in waiters)
                {
                    if (result is { } isNew)
                    {
                        waiter.TrySetResult(isNew);
                    }
                    else
                    {
                        waiter.TrySetException(new InvalidOperationException($"Message.Service's batch claim did not answer for '{channel}'."));
                    }
                }
            }
        }
        catch (Exception ex)
        {
            // A lost answer may have written rows: those channels are known to the retry, which takes the safe path.
            logger.ClaimBatchFailed(batch.Count, ex);
            foreach (var waiter in batch.Waiters.Values.SelectMany(w => w))
            {
                waiter.TrySetException(ex);
            }
        }
    }

    private sealed class Batch
    {
        public Dictionary<string, List<TaskCompletionSource<bool>>> Waiters { get; } = new(StringComparer.Ordinal);

        public int Count => Waiters.Count;

        public List<string> Channels => [.. Waiters.Keys];

        public void Add(string channel, TaskCompletionSource<bool> waiter)
        {
            if (!Waiters.TryGetValue(channel, out var list))
            {
                Waiters[channel] = list = [];
            }
            list.Add(waiter);
        }
    }

    private sealed record ClaimBatchRequest(IReadOnlyList<string> Channels);

    private sealed record ClaimBatchAnswer(IReadOnlyList<string> New, IReadOnlyList<string> Known);
}
