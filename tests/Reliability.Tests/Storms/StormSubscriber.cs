using System.Collections.Concurrent;
using System.Diagnostics;
using RealtimeAspire.Client;

namespace RealtimeAspire.Reliability.Tests.Storms;

/// <summary>
/// One client of the reconnect storm: a <see cref="RealtimeClient"/> through the edge subscribed to one channel,
/// recording what it received (by seq) and every state it went through with its <see cref="Stopwatch"/> timestamp:
/// each <see cref="RealtimeConnectionStatus.Reconnecting"/> state announces one connect attempt after its delay.
/// </summary>
public sealed class StormSubscriber : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<long> _received = new();
    private readonly Task _reading;

    public StormSubscriber(string name, string channel, RealtimeClientOptions options, HttpClient http)
    {
        Name = name;
        Channel = channel;
        Client = new RealtimeClient(options, http);
        Client.StateChanged += state => States.Enqueue((Stopwatch.GetTimestamp(), state));
        _reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in Client.SubscribeAsync(channel, since: null, _stop.Token))
                {
                    _received.Enqueue(message.Seq);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (RealtimeException ex)
            {
                Ended = ex.Code;
            }
        });
    }

    public string Name { get; }
    public string Channel { get; }
    public RealtimeClient Client { get; }
    public string? Ended { get; private set; }

    public ConcurrentQueue<(long At, RealtimeConnectionState State)> States { get; } = new();

    public IReadOnlyList<long> Received => [.. _received];

    public int ReceivedCount => _received.Count;

    /// <summary>When this client was connected (and resubscribed) again after <paramref name="since"/>, if it was.</summary>
    public long? ConnectedAfter(long since) =>
        States.FirstOrDefault(s => s.At > since && s.State.Status == RealtimeConnectionStatus.Connected) is { At: > 0 } found ? found.At : null;

    /// <summary>When each connect attempt after <paramref name="since"/> was made: a reconnect state's time plus its delay.</summary>
    public IEnumerable<long> AttemptsAfter(long since) => States
        .Where(s => s.At > since && s.State.Status == RealtimeConnectionStatus.Reconnecting)
        .Select(s => s.At + (long)(s.State.Delay.TotalSeconds * Stopwatch.Frequency));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Client.DisposeAsync();
        await _reading.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
