using System.Collections.Concurrent;
using RealtimeAspire.Client;

namespace RealtimeAspire.Clients.Tests;

/// <summary>A .NET client of the topology that records its states; disposed with the test.</summary>
public sealed class TestClient : IAsyncDisposable
{
    private TestClient(RealtimeClient client, string user)
    {
        Client = client;
        User = user;
    }

    public RealtimeClient Client { get; }

    /// <summary>The token's subject: the user the presence API lists.</summary>
    public string User { get; }

    public ConcurrentQueue<RealtimeConnectionState> States { get; } = new();

    public static TestClient Create(ClientTopologyFixture fixture, string user, RealtimeTransport[]? transports = null, Action<RealtimeClientOptions>? configure = null, HttpClient? http = null)
    {
        var options = new RealtimeClientOptions
        {
            EdgeUrl = fixture.EdgeUrl,
            TokenProvider = ct => new ValueTask<string>(fixture.TokenAsync(user, ct)),
            BackoffBase = TimeSpan.FromMilliseconds(100),
            BackoffMax = TimeSpan.FromSeconds(2),
        };
        if (transports is not null)
        {
            options.Transports = transports;
        }
        configure?.Invoke(options);
        var states = new ConcurrentQueue<RealtimeConnectionState>();
        var client = new RealtimeClient(options, http);
        var test = new TestClient(client, user);
        client.StateChanged += test.States.Enqueue;
        return test;
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}

/// <summary>Reads a subscription in the background into a list.</summary>
public sealed class Collected : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private int _stopping;
    private readonly ConcurrentQueue<RealtimeMessage> _messages = new();

    public Collected(RealtimeClient client, string channel, long? since)
        : this(client, channel, new RealtimeSubscriptionOptions { Since = since })
    {
    }

    public Collected(RealtimeClient client, string channel, RealtimeSubscriptionOptions subscription)
    {
        Reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in client.SubscribeAsync(channel, subscription, _stop.Token))
                {
                    _messages.Enqueue(message);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public Task Reading { get; }

    public IReadOnlyList<RealtimeMessage> Messages => [.. _messages];

    public long[] Seqs => [.. _messages.Select(m => m.Seq)];

    /// <summary>Stops the subscription and waits (bounded) for its enumeration to end; a second call only waits.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopping, 1) == 0)
        {
            await _stop.CancelAsync();
        }
        await Reading.WaitAsync(TimeSpan.FromSeconds(10));
    }

}
