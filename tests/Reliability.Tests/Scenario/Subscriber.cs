using System.Collections.Concurrent;
using RealtimeAspire.Client;

namespace RealtimeAspire.Reliability.Tests.Scenario;

/// <summary>
/// One .NET client on one forced transport, subscribed to one channel from its start (<c>since: 0</c>): it resumes
/// across reconnects by itself and hands the application each message once, in order. What it received, the
/// errors the server reported for the channel, and an end it did not ask for are recorded for the audit.
/// </summary>
public sealed class Subscriber : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<RealtimeMessage> _messages = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Subscriber(RealtimeClient client, string channel, RealtimeTransport transport, string user)
    {
        Client = client;
        Channel = channel;
        Transport = transport;
        User = user;
        client.StateChanged += state =>
        {
            States.Enqueue(state);
            Transitions.Enqueue((DateTime.UtcNow, state));
        };
        Reading = Task.Run(ReadAsync);
    }

    public RealtimeClient Client { get; }

    public string Channel { get; }

    public RealtimeTransport Transport { get; }

    public string User { get; }

    public Task Reading { get; }

    public ConcurrentQueue<RealtimeConnectionState> States { get; } = new();

    /// <summary>Every state the client reported, with when.</summary>
    public ConcurrentQueue<(DateTime At, RealtimeConnectionState State)> Transitions { get; } = new();

    /// <summary>The longest time this client was not connected, after it first was (a reconnect, as its user lives it).</summary>
    public TimeSpan LongestOutage()
    {
        TimeSpan longest = TimeSpan.Zero;
        DateTime? down = null;
        var wasUp = false;
        foreach (var (at, state) in Transitions)
        {
            var connected = state.Status == RealtimeConnectionStatus.Connected;
            if (connected)
            {
                if (down is { } since)
                {
                    longest = TimeSpan.FromTicks(Math.Max(longest.Ticks, (at - since).Ticks));
                }
                down = null;
                wasUp = true;
            }
            else if (wasUp && down is null)
            {
                down = at;
            }
        }
        return down is { } open ? TimeSpan.FromTicks(Math.Max(longest.Ticks, (DateTime.UtcNow - open).Ticks)) : longest;
    }

    /// <summary>
    /// What this client went through after <paramref name="since"/> other than staying connected to the replica it was
    /// on then: every state that is not <c>Connected</c> (a reconnect passes through one, with its reason) and every
    /// <c>Connected</c> to another replica (a move). Empty when it stayed where it was.
    /// </summary>
    public IReadOnlyList<string> LeftConnectedSince(DateTime since)
    {
        var transitions = Transitions.ToList();
        var replica = transitions.LastOrDefault(t => t.At < since).State?.Replica;
        return [.. transitions
            .Where(t => t.At >= since && (t.State.Status != RealtimeConnectionStatus.Connected || t.State.Replica != replica))
            .Select(t => $"{t.At:HH:mm:ss.fff} {t.State.Status} {t.State.Replica} ({t.State.Reason})")];
    }

    public ConcurrentQueue<RealtimeException> ChannelErrors { get; } = new();

    /// <summary>Set when the subscription ended by itself (refused, failed): a subscriber that did not stay.</summary>
    public Exception? Ended { get; private set; }

    public IReadOnlyList<RealtimeMessage> Messages => [.. _messages];

    public long LastSeq => _messages.LastOrDefault()?.Seq ?? 0;

    public bool IsConnected => Client.State.Status == RealtimeConnectionStatus.Connected;

    public string Name => $"{Transport}/{Channel}";

    public static async Task<Subscriber> StartAsync(ReliabilityTopology topology, string channel, RealtimeTransport transport, string user)
    {
        var token = await topology.TokenAsync(user);
        var subscriber = new Subscriber(new RealtimeClient(ClientOptions.For(topology.EdgeUrl, token, [transport])), channel, transport, user);
        await subscriber._ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return subscriber;
    }

    private async Task ReadAsync()
    {
        var options = new RealtimeSubscriptionOptions
        {
            Since = 0,
            OnReady = () => _ready.TrySetResult(),
            OnError = ChannelErrors.Enqueue,
        };
        try
        {
            await foreach (var message in Client.SubscribeAsync(Channel, options, _stop.Token))
            {
                _messages.Enqueue(message);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Ended = ex;
            _ready.TrySetException(ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Reading.WaitAsync(TimeSpan.FromSeconds(15));
        await Client.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));
        _stop.Dispose();
    }
}
