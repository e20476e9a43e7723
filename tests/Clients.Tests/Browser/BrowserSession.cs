using Microsoft.Playwright;

namespace RealtimeAspire.Clients.Tests.Browser;

/// <summary>
/// Playwright driving the machine's Chromium (Debian's <c>chromium</c>, found on PATH; Playwright's own browser
/// download is not used), headless. Screenshots go to <see cref="ScreenshotFolder"/>.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private static readonly string[] s_arguments =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private BrowserSession(IPlaywright playwright, IBrowser browser)
    {
        Playwright = playwright;
        Browser = browser;
    }

    public IPlaywright Playwright { get; }

    public IBrowser Browser { get; }

    /// <summary><c>TestResults/screenshots</c> at the repository root (git-ignored), or <c>REALTIME_SCREENSHOTS</c>.</summary>
    public static string ScreenshotFolder { get; } = Environment.GetEnvironmentVariable("REALTIME_SCREENSHOTS")
        ?? Path.Combine(JavaScript.NodeTestRun.RepositoryRoot, "TestResults", "screenshots");

    public static async Task<BrowserSession> StartAsync()
    {
        var chromium = FindOnPath("chromium") ?? FindOnPath("chromium-browser")
            ?? throw new InvalidOperationException("Chromium is not installed (tests/run installs Debian's chromium).");
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = s_arguments });
        return new BrowserSession(playwright, browser);
    }

    public async Task<IPage> OpenDemoAsync(Uri edge, string user, string room, string? transport = null, Func<IPage, Task>? beforeLoad = null)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = edge.ToString(), ViewportSize = new() { Width = 1200, Height = 760 } });
        var page = await context.NewPageAsync();
        if (beforeLoad is not null)
        {
            await beforeLoad(page);
        }
        var query = $"/?user={Uri.EscapeDataString(user)}&room={Uri.EscapeDataString(room)}" + (transport is null ? "" : $"&transport={transport}");
        await page.GotoAsync(query);
        return page;
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
    }
}
