using System.Net;
using RealtimeAspire.Client;
using RealtimeAspire.Client.Diagnostics;
using RealtimeAspire.Client.Transports;

namespace RealtimeAspire.Clients.Tests.DotNet;

/// <summary>
/// A subscription stopped while a background upgrade moves the client from SSE back to WebSocket leaves the channel on
/// neither connection, wherever the stop lands: while the candidate's subscribe is on its way, after the candidate has
/// subscribed but before it is adopted, from the adoption's own <c>StateChanged</c> handler, or just before the
/// candidate fails. The witness is the server's: the presence API lists the reader in the channel while any of its
/// connections holds it, and no longer once none does. The race points are reached through the client's test seam
/// (<see cref="ClientTestHooks"/>) and its state events, never by sleeping.
/// </summary>
[Collection(nameof(ClientTopologyCollection))]
public sealed class UnsubscribeDuringUpgradeTests(ClientTopologyFixture fixture)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    /// <summary>Long enough for a leave to reach the presence API many times over (~0.3 s, docs/presence.md).</summary>
    private static readonly TimeSpan s_left = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task StoppedWhileTheCandidatesSubscribeIsOnItsWay_TheAdoptedWebSocketDoesNotKeepTheChannel()
    {
        await using var scene = await Scene.StartAsync(fixture);
        var stopped = scene.StopOnceWhenTheCandidateAnswersTheSubscribe();

        scene.Unblock();
        await stopped.WaitAsync(s_timeout);
        await Eventually.TrueAsync(() => scene.Reader.Client.State.Transport == RealtimeTransport.WebSocket, s_timeout, "the move to WebSocket");

        await scene.AssertTheReaderLeftAsync();
        Assert.Equal(RealtimeTransport.WebSocket, scene.Reader.Client.State.Transport);
    }

    [Fact]
    public async Task StoppedAfterTheCandidateSubscribedBeforeItIsAdopted_NeitherConnectionKeepsTheChannel()
    {
        await using var scene = await Scene.StartAsync(fixture);
        var stopped = scene.StopOnceWhenTheCandidateHasSubscribed();

        scene.Unblock();
        await stopped.WaitAsync(s_timeout);
        await Eventually.TrueAsync(() => scene.Reader.Client.State.Transport == RealtimeTransport.WebSocket, s_timeout, "the move to WebSocket");

        await scene.AssertTheReaderLeftAsync();
    }

    /// <summary>
    /// The withdrawn fix's test: the application stops the subscription from the adoption's <c>StateChanged</c>
    /// handler and waits there (bounded) until it has ended. That wait must not need the adoption it blocks.
    /// </summary>
    [Fact]
    public async Task StoppedFromTheAdoptionsStateChangedHandler_TheStopEndsAndNeitherConnectionKeepsTheChannel()
    {
        await using var scene = await Scene.StartAsync(fixture);
        var endedInHandler = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        scene.Reader.Client.StateChanged += state =>
        {
            if (state is { Status: RealtimeConnectionStatus.Connected, Transport: RealtimeTransport.WebSocket } && !endedInHandler.Task.IsCompleted)
            {
                // Blocking on purpose (bounded): an application that stops a subscription synchronously in its handler.
                endedInHandler.TrySetResult(scene.Subscription.DisposeAsync().AsTask().Wait(s_timeout));
            }
        };

        scene.Unblock();
        Assert.True(await endedInHandler.Task.WaitAsync(s_timeout), "the subscription ended inside the adoption's handler");
        await Eventually.TrueAsync(() => scene.Reader.Client.State.Transport == RealtimeTransport.WebSocket, s_timeout, "the move to WebSocket");

        await scene.AssertTheReaderLeftAsync();
    }

    [Fact]
    public async Task StoppedJustBeforeTheCandidateFails_TheCurrentSseStreamDoesNotKeepTheChannel()
    {
        await using var scene = await Scene.StartAsync(fixture);
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        scene.Reader.Client.TestHooks = new ClientTestHooks
        {
            SubscribeAnswered = async (connection, channel) =>
            {
                if (connection.Transport == RealtimeTransport.WebSocket && channel == scene.Channel && !failed.Task.IsCompleted)
                {
                    scene.Block(); // the next attempts fail too: the client stays on SSE
                    await scene.Subscription.DisposeAsync();
                    connection.RequestReconnect(new TransportClose("the test fails the candidate"));
                    failed.TrySetResult();
                }
            },
        };

        scene.Unblock();
        await failed.Task.WaitAsync(s_timeout);

        await scene.AssertTheReaderLeftAsync();
        Assert.Equal(RealtimeTransport.ServerSentEvents, scene.Reader.Client.State.Transport);
        Assert.DoesNotContain(scene.Reader.States, s => s.Status == RealtimeConnectionStatus.Reconnecting);
    }

    [Fact]
    public async Task StoppedWhileAnSseCandidateOpensWithTheChannel_TheAdoptedStreamDoesNotKeepIt()
    {
        using var gate = new SseGate();
        await using var scene = await Scene.StartOnLongPollingAsync(fixture, gate);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The candidate's GET /connect/sse names the channel (a stream opens with every accepted channel): stop it
        // there, before the stream is open.
        gate.OnceOpening(scene.Channel, async () =>
        {
            await scene.Subscription.DisposeAsync();
            stopped.TrySetResult();
        });

        scene.Unblock();
        await stopped.Task.WaitAsync(s_timeout);
        await Eventually.TrueAsync(() => scene.Reader.Client.State.Transport == RealtimeTransport.ServerSentEvents, s_timeout, "the move to SSE");

        await scene.AssertTheReaderLeftAsync();
    }

    /// <summary>
    /// A reader on a worse transport than it may use, subscribed to a chat channel and listed in its presence; an
    /// observer on long polling asks the presence API.
    /// </summary>
    private sealed class Scene : IAsyncDisposable
    {
        private readonly SseGate? _gate;
        private Collected? _subscription;
        private bool _blocked = true;

        private Scene(TestClient reader, ClientTopologyFixture fixture, SseGate? gate = null)
        {
            Reader = reader;
            Observer = TestClient.Create(fixture, Unique.Name("observer"), [RealtimeTransport.LongPolling]);
            _gate = gate;
        }

        public TestClient Reader { get; }

        public TestClient Observer { get; }

        public string User => Reader.User;

        public string Channel { get; } = $"chat:{Unique.Name("left-during-upgrade")}";

        public Collected Subscription => _subscription ?? throw new InvalidOperationException("Not subscribed yet.");

        /// <summary>On SSE, its WebSocket refused by a proxy that discards (port 9) until <see cref="Unblock"/>.</summary>
        public static async Task<Scene> StartAsync(ClientTopologyFixture fixture)
        {
            Scene? scene = null;
            var reader = TestClient.Create(fixture, Unique.Name("leaving"), configure: o =>
            {
                o.UpgradeAfter = TimeSpan.FromMilliseconds(300);
                o.ConfigureWebSocket = ws =>
                {
                    if (scene is null || scene.IsBlocked)
                    {
                        ws.Proxy = new WebProxy("http://127.0.0.1:9") { BypassProxyOnLocal = false };
                    }
                };
            });
            scene = new Scene(reader, fixture);
            return await scene.SubscribeAsync(RealtimeTransport.ServerSentEvents);
        }

        /// <summary>On long polling (SSE and long polling allowed), its SSE refused by <paramref name="gate"/> until <see cref="Unblock"/>.</summary>
        public static async Task<Scene> StartOnLongPollingAsync(ClientTopologyFixture fixture, SseGate gate)
        {
            var reader = TestClient.Create(fixture, Unique.Name("leaving"), [RealtimeTransport.ServerSentEvents, RealtimeTransport.LongPolling],
                o => o.UpgradeAfter = TimeSpan.FromMilliseconds(300), new HttpClient(gate) { Timeout = Timeout.InfiniteTimeSpan });
            return await new Scene(reader, fixture, gate).SubscribeAsync(RealtimeTransport.LongPolling);
        }

        private async Task<Scene> SubscribeAsync(RealtimeTransport expected)
        {
            try
            {
                await Eventually.ConnectedAsync(Reader.Client, s_timeout);
                Assert.Equal(expected, Reader.Client.State.Transport);
                var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _subscription = new Collected(Reader.Client, Channel, new RealtimeSubscriptionOptions { OnReady = ready.SetResult });
                await ready.Task.WaitAsync(s_timeout);
                await Eventually.TrueAsync(ReaderIsPresentAsync, s_timeout, $"the reader in the channel's presence over {expected}");
                return this;
            }
            catch
            {
                await DisposeAsync(); // no client may go on reconnecting for the rest of the run
                throw;
            }
        }

        private bool IsBlocked => _gate?.Blocked ?? Volatile.Read(ref _blocked);

        public void Block()
        {
            Volatile.Write(ref _blocked, true);
            _gate?.Block();
        }

        public void Unblock()
        {
            Volatile.Write(ref _blocked, false);
            _gate?.Unblock();
        }

        /// <summary>The subscription is stopped (and its end awaited) once, when the WebSocket candidate's subscribe is answered.</summary>
        public Task StopOnceWhenTheCandidateAnswersTheSubscribe()
        {
            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Reader.Client.TestHooks = new ClientTestHooks
            {
                SubscribeAnswered = (connection, channel) => channel == Channel ? StopOnceAsync(connection, stopped) : Task.CompletedTask,
            };
            return stopped.Task;
        }

        /// <summary>The subscription is stopped (and its end awaited) once, when the WebSocket candidate is about to be adopted.</summary>
        public Task StopOnceWhenTheCandidateHasSubscribed()
        {
            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Reader.Client.TestHooks = new ClientTestHooks { CandidateSubscribed = connection => StopOnceAsync(connection, stopped) };
            return stopped.Task;
        }

        private async Task StopOnceAsync(IRealtimeConnection connection, TaskCompletionSource stopped)
        {
            if (connection.Transport == RealtimeTransport.WebSocket && !stopped.Task.IsCompleted)
            {
                await Subscription.DisposeAsync();
                stopped.TrySetResult();
            }
        }

        public async Task<bool> ReaderIsPresentAsync() =>
            (await Observer.Client.GetPresenceAsync(Channel).WaitAsync(s_timeout)).Members?.Any(m => m.User == User) == true;

        /// <summary>The server's word: no connection of the reader holds the channel any more.</summary>
        public async Task AssertTheReaderLeftAsync()
        {
            Assert.True(Subscription.Reading.IsCompleted, "the subscription's enumeration ended");
            await Eventually.TrueAsync(async () => !await ReaderIsPresentAsync(), s_left, "the reader out of the channel's presence (no connection of it still subscribed)");
        }

        public async ValueTask DisposeAsync()
        {
            if (_subscription is { } subscription)
            {
                await subscription.DisposeAsync();
            }
            await Observer.DisposeAsync().AsTask().WaitAsync(s_timeout);
            await Reader.DisposeAsync().AsTask().WaitAsync(s_timeout);
        }
    }
}
