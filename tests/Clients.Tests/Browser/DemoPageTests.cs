using System.Diagnostics;
using Microsoft.Playwright;
using RealtimeAspire.Client;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace RealtimeAspire.Clients.Tests.Browser;

/// <summary>The demo page the edge serves at <c>/</c>, in a real (headless) Chromium, against the whole topology.</summary>
[Collection(nameof(ClientTopologyCollection))]
public sealed class DemoPageTests(ClientTopologyFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private const float TimeoutMs = 30_000;

    private static ILocator Badge(IPage page) => page.GetByTestId("badge");

    private static async Task ConnectedAsync(IPage page, string? transport = null)
    {
        await Expect(Badge(page)).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = TimeoutMs });
        if (transport is not null)
        {
            await Expect(Badge(page)).ToHaveAttributeAsync("data-transport", transport, new() { Timeout = TimeoutMs });
        }
    }

    private static async Task SendAsync(IPage page, string text)
    {
        await page.GetByTestId("text").FillAsync(text);
        await page.GetByTestId("text").PressAsync("Enter");
    }

    private static async Task<long[]> SeqsOnPageAsync(IPage page) =>
        [.. (await page.Locator("[data-testid=messages] li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.seq)")).Select(long.Parse)];

    [Fact]
    public async Task TwoBrowserContextsChatInARoomWithPresenceAndTyping()
    {
        var room = Unique.Name("room");
        await using var browser = await BrowserSession.StartAsync();
        var alice = await browser.OpenDemoAsync(fixture.EdgeUrl, Unique.Name("alice"), room);
        var bob = await browser.OpenDemoAsync(fixture.EdgeUrl, Unique.Name("bob"), room);
        await ConnectedAsync(alice, "websocket");
        await ConnectedAsync(bob, "websocket");
        var aliceName = await alice.GetByTestId("user").InputValueAsync();
        var bobName = await bob.GetByTestId("user").InputValueAsync();

        // Presence: each page lists both.
        await Expect(alice.Locator($"[data-testid=presence] li[data-user='{bobName}']")).ToBeVisibleAsync(new() { Timeout = TimeoutMs });
        await Expect(bob.Locator($"[data-testid=presence] li[data-user='{aliceName}']")).ToBeVisibleAsync(new() { Timeout = TimeoutMs });

        // Typing: alice types, bob sees it.
        await alice.GetByTestId("text").PressSequentiallyAsync("hel");
        await Expect(bob.GetByTestId("typing")).ToContainTextAsync(aliceName, new() { Timeout = TimeoutMs });

        // 20 messages, each timed from alice's Enter to its appearance on bob's page.
        var latencies = new List<double>();
        for (var i = 1; i <= 20; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await SendAsync(alice, $"hello {i}");
            await Expect(bob.Locator($"[data-testid=messages] li[data-seq='{i}']")).ToContainTextAsync($"hello {i}", new() { Timeout = TimeoutMs });
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        latencies.Sort();
        var p50 = latencies[latencies.Count / 2];
        output.WriteLine($"alice → bob, 20 messages: p50 {p50:0} ms, max {latencies[^1]:0} ms");
        Assert.True(p50 < 1000, $"p50 {p50:0} ms");
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), await SeqsOnPageAsync(bob));
        await BrowserSession.ScreenshotAsync(bob, "demo-websocket");
    }

    [Fact]
    public async Task WithWebSocketRefusedThePageFallsBackToSseAndWithSseRefusedTooToLongPolling()
    {
        var room = Unique.Name("fallback");
        await using var browser = await BrowserSession.StartAsync();
        // The upgrade fails: the route closes every WebSocket to /connect/ws without reaching the server.
        Task RefuseWebSockets(IPage page) => page.RouteWebSocketAsync("**/connect/ws**", ws => ws.CloseAsync(new() { Code = 1011, Reason = "refused by the test" }));
        var page = await browser.OpenDemoAsync(fixture.EdgeUrl, Unique.Name("carol"), room, beforeLoad: RefuseWebSockets);
        await ConnectedAsync(page, "sse");
        await Expect(Badge(page)).ToContainTextAsync("SSE", new() { Timeout = TimeoutMs }); // the badge names the transport as the page labels it
        await SendAsync(page, "over SSE");
        await Expect(page.Locator("[data-testid=messages] li[data-seq='1']")).ToContainTextAsync("over SSE", new() { Timeout = TimeoutMs });
        await BrowserSession.ScreenshotAsync(page, "demo-sse");

        // SSE refused too: the next load (remembering SSE) falls through to long polling.
        await page.RouteAsync("**/connect/sse**", route => route.AbortAsync());
        await page.ReloadAsync();
        await ConnectedAsync(page, "long-polling");
        await SendAsync(page, "over long polling");
        await Expect(page.Locator("[data-testid=messages] li[data-seq='2']")).ToContainTextAsync("over long polling", new() { Timeout = TimeoutMs });
        Assert.Equal(new long[] { 1, 2 }, await SeqsOnPageAsync(page));
        await BrowserSession.ScreenshotAsync(page, "demo-long-polling");
    }

    [Fact]
    public async Task AfterItsReplicaIsKilledThePageShowsEveryMessageSentMeanwhileOnceInOrder()
    {
        var room = Unique.Name("crash");
        var channel = $"chat:{room}";
        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.OpenDemoAsync(fixture.EdgeUrl, Unique.Name("dave"), room, transport: "websocket");
        await ConnectedAsync(page, "websocket");
        var replica = await Badge(page).GetAttributeAsync("data-replica");
        Assert.NotNull(replica);
        await using var writer = TestClient.Create(fixture, Unique.Name("writer"), [RealtimeTransport.LongPolling]);
        for (var i = 1; i <= 5; i++)
        {
            await writer.Client.PublishAsync(channel, new { text = $"before {i}" }).WaitAsync(s_timeout);
        }
        await Expect(page.Locator("[data-testid=messages] li")).ToHaveCountAsync(5, new() { Timeout = TimeoutMs });

        fixture.Topology.Kill(replica);
        await Expect(Badge(page)).Not.ToHaveAttributeAsync("data-state", "connected", new() { Timeout = TimeoutMs });
        var sent = 5;
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await writer.Client.PublishAsync(channel, new { text = $"meanwhile {sent + 1}" });
                sent++;
            }
            catch (RealtimeException)
            {
                // The writer's replica may be the dead one.
            }
            return sent >= 15;
        }, s_timeout, "10 more published");
        await ConnectedAsync(page, "websocket");
        await Expect(Badge(page)).Not.ToHaveAttributeAsync("data-replica", replica, new() { Timeout = TimeoutMs });
        await Expect(page.Locator("[data-testid=messages] li")).ToHaveCountAsync(sent, new() { Timeout = TimeoutMs });
        Assert.Equal(Enumerable.Range(1, sent).Select(i => (long)i), await SeqsOnPageAsync(page));
        await fixture.RestoreEveryReplicaAsync(CancellationToken.None, restarted: replica);
    }
}
