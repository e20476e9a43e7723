using System.Net.Http.Json;

namespace RealtimeAspire.Clients.Tests;

/// <summary><c>POST /api/dev/token</c> through the edge (Development only).</summary>
public static class DevTokens
{
    public static async Task<string> IssueAsync(HttpClient http, Uri edge, string user, CancellationToken cancellationToken, string[]? subscribe = null, string[]? publish = null)
    {
        using var response = await http.PostAsJsonAsync(new Uri(edge, "/api/dev/token"), new { user, name = user, subscribe, publish }, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken))!.Token;
    }

    private sealed record TokenResponse(string Token);
}
