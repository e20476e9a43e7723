using System.Net.Http.Json;

namespace RealtimeAspire.Bench.Clients;

/// <summary>Development tokens from <c>POST /api/dev/token</c> on a replica, many at once.</summary>
internal sealed class TokenClient(HttpClient http, Uri replica)
{
    private sealed record TokenRequest(string User);

    private sealed record TokenResponse(string Token);

    public async Task<string> IssueAsync(string user, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(new Uri(replica, "/api/dev/token"), new TokenRequest(user), cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken);
        return body?.Token ?? throw new InvalidOperationException("dev token response without a token");
    }

    public async Task<string[]> IssueManyAsync(IReadOnlyList<string> users, CancellationToken cancellationToken)
    {
        var tokens = new string[users.Count];
        await Parallel.ForAsync(0, users.Count, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (i, ct) => tokens[i] = await IssueAsync(users[i], ct));
        return tokens;
    }
}
