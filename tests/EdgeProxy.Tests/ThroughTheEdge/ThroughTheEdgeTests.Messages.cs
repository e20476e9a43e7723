using RealtimeAspire.Client;

namespace RealtimeAspire.EdgeProxy.Tests.ThroughTheEdge;

/// <summary>
/// Messages and typing through the edge, spoken by the .NET client (clients/dotnet) as an application would: these
/// tests are about where the edge routes, not about frames, so they need nothing but a well-behaved client.
/// </summary>
public sealed partial class ThroughTheEdgeTests
{
    [Fact]
    public async Task AMessagePublishedOnOneReplicaReachesSubscribersOnTheOthersThroughTheEdge()
    {
        var channel = $"chat:edge-fanout-{_run}";
        var clients = new List<RealtimeClient>();
        var subscriptions = new List<EdgeSubscription>();
        try
        {
            foreach (var replica in Replicas)
            {
                var client = await ConnectClientAsync($"fanout-{replica}-{_run}", await KeyOfAsync(replica));
                clients.Add(client);
                Assert.Equal(replica, client.State.Replica);
            }
            foreach (var subscriber in clients.Skip(1))
            {
                subscriptions.Add(await EdgeSubscription.StartAsync(subscriber, channel));
            }

            var ack = await clients[0].PublishAsync(channel, new { text = "from replica 0" }).WaitAsync(EdgeClient.CallTimeout);

            foreach (var subscription in subscriptions)
            {
                var message = await subscription.NextAsync();
                Assert.Equal(ack.MsgId, message.MsgId);
                Assert.Equal("from replica 0", message.Data.GetProperty("text").GetString());
            }
        }
        finally
        {
            await Task.WhenAll(subscriptions.Select(s => s.DisposeAsync().AsTask())).WaitAsync(TimeSpan.FromSeconds(30));
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask())).WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task TypingOverHttpIsRoutedToAReplicaAndReachesSubscribers()
    {
        var channel = $"chat:edge-typing-{_run}";
        var typing = new TaskCompletionSource<RealtimeTypingEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var listener = await ConnectClientAsync($"typing-listener-{_run}");
        await using var subscription = await EdgeSubscription.StartAsync(listener, channel, e => typing.TrySetResult(e));

        // The typist stays raw HTTP: the test asserts the edge's answer itself (204), which the client does not expose.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/channels/{channel}/typing");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await Edge.DevTokenAsync($"typist-{_run}"));
        using var response = await Edge.Http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal($"typist-{_run}", (await typing.Task.WaitAsync(EdgeClient.CallTimeout)).User);
    }

    /// <summary>A .NET client over WebSocket through the edge, connected; pinned to a replica by its affinity key if given.</summary>
    private async Task<RealtimeClient> ConnectClientAsync(string user, string? affinityKey = null)
    {
        var client = new RealtimeClient(new RealtimeClientOptions
        {
            EdgeUrl = Edge.BaseAddress,
            Token = await Edge.DevTokenAsync(user),
            AffinityKey = affinityKey,
            Transports = [RealtimeTransport.WebSocket],
        });
        try
        {
            await client.ConnectAsync().WaitAsync(EdgeClient.CallTimeout);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>A subscription the server has accepted (its subscribe ack), read one message at a time, each bounded.</summary>
    private sealed class EdgeSubscription : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly IAsyncEnumerator<RealtimeMessage> _messages;
        private Task<bool> _next;

        private EdgeSubscription(RealtimeClient client, string channel, RealtimeSubscriptionOptions options)
        {
            _messages = client.SubscribeAsync(channel, options, _stop.Token).GetAsyncEnumerator(_stop.Token);
            _next = _messages.MoveNextAsync().AsTask(); // the subscribe goes out with the first read
        }

        public static async Task<EdgeSubscription> StartAsync(RealtimeClient client, string channel, Action<RealtimeTypingEvent>? onTyping = null)
        {
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var subscription = new EdgeSubscription(client, channel, new RealtimeSubscriptionOptions { OnReady = ready.SetResult, OnTyping = onTyping });
            await Task.WhenAny(ready.Task, subscription._next).WaitAsync(EdgeClient.CallTimeout);
            if (subscription._next.IsCompleted)
            {
                await subscription._next; // a refusal: throws its code
            }
            return subscription;
        }

        public async Task<RealtimeMessage> NextAsync()
        {
            Assert.True(await _next.WaitAsync(EdgeClient.CallTimeout), "the subscription ended");
            var message = _messages.Current;
            _next = _messages.MoveNextAsync().AsTask();
            return message;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _next.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (OperationCanceledException)
            {
            }
            await _messages.DisposeAsync();
            _stop.Dispose();
        }
    }
}
