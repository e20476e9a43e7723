using System.Net.Http.Json;
using System.Text.Json;

namespace RealtimeAspire.ConnectionService.Tests.Clients;

public static class Tokens
{
    /// <summary>A development token from the service's own endpoint.</summary>
    public static async Task<string> ForAsync(Uri service, string user, string[]? subscribe = null, string[]? publish = null)
    {
        using var http = new HttpClient { BaseAddress = service };
        using var response = await http.PostAsJsonAsync("/api/dev/token", new { user, subscribe, publish });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Publishes over HTTP as <paramref name="token"/>'s user; returns the response.</summary>
    public static Task<HttpResponseMessage> PublishAsync(Uri service, string token, string channel, object data) =>
        PublishRawAsync(service, token, channel, JsonContent.Create(new { data }));

    /// <summary><c>POST /api/channels/{channel}/typing</c> as <paramref name="token"/>'s user.</summary>
    public static Task<HttpResponseMessage> TypingAsync(Uri service, string token, string channel) =>
        PostAsync(service, token, $"/api/channels/{channel}/typing", content: null);

    public static Task<HttpResponseMessage> PublishRawAsync(Uri service, string token, string channel, HttpContent content) =>
        PostAsync(service, token, $"/api/channels/{channel}/messages", content);

    private static Task<HttpResponseMessage> PostAsync(Uri service, string token, string path, HttpContent? content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(service, path)) { Content = content };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return s_http.SendAsync(request);
    }
}
