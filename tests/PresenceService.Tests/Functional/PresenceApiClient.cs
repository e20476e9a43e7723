using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using RealtimeAspire.Testing;

namespace RealtimeAspire.PresenceService.Tests.Functional;

/// <summary>Presence.Service's public API as a caller with <paramref name="token"/> uses it.</summary>
public sealed class PresenceApiClient(Uri service, string token) : IDisposable
{
    private readonly HttpClient _http = CreateClient(service, token);

    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(15);

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public async Task<JsonElement> ChannelAsync(string channel, bool countOnly = false, int? limit = null)
    {
        var query = $"/api/channels/{Uri.EscapeDataString(channel)}/presence?countOnly={(countOnly ? "true" : "false")}" + (limit is null ? "" : $"&limit={limit}");
        using var response = await _http.GetAsync(query);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> UserAsync(string user)
    {
        using var response = await _http.GetAsync($"/api/users/{Uri.EscapeDataString(user)}/status");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<string[]> MemberIdsAsync(string channel) =>
        [.. (await ChannelAsync(channel)).GetProperty("members").EnumerateArray().Select(m => m.GetProperty("user").GetString()!).Order()];

    /// <summary>Asks until <paramref name="condition"/> holds (bounded, short pauses between asks); returns the last answer.</summary>
    public async Task<JsonElement> WaitForChannelAsync(string channel, Func<JsonElement, bool> condition, TimeSpan? timeout = null)
    {
        JsonElement? last = null;
        await BoundedWait.UntilAsync(async () =>
        {
            last = await ChannelAsync(channel);
            return condition(last.Value);
        }, timeout ?? DefaultWait, $"presence of {channel} to match", describe: () => Task.FromResult($"Last answer: {last?.GetRawText()}"),
            pause: TimeSpan.FromMilliseconds(50));
        return last!.Value;
    }

    public void Dispose() => _http.Dispose();

    private static HttpClient CreateClient(Uri service, string token)
    {
        var http = new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
