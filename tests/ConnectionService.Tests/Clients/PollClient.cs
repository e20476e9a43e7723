using System.Net.Http.Json;
using System.Text.Json;

namespace RealtimeAspire.ConnectionService.Tests.Clients;

/// <summary>A long-poll client: keeps the cursor between polls, as a real one would.</summary>
public sealed class PollClient(Uri service, string token, string channels) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = service, Timeout = TimeSpan.FromSeconds(60) };

    public string? Cursor { get; set; }

    public string? LastReplica { get; private set; }

    public async Task<List<JsonElement>> PollAsync()
    {
        var query = $"/connect/poll?channels={Uri.EscapeDataString(channels)}&access_token={token}";
        if (Cursor is not null)
        {
            query += $"&cursor={Uri.EscapeDataString(Cursor)}";
        }
        using var response = await _http.GetAsync(query);
        response.EnsureSuccessStatusCode();
        LastReplica = response.Headers.GetValues("X-Realtime-Replica").Single();
        var batch = await response.Content.ReadFromJsonAsync<JsonElement>();
        Cursor = batch.GetProperty("cursor").GetString();
        return [.. batch.GetProperty("events").EnumerateArray()];
    }

    /// <summary>Polls (bounded) until <paramref name="count"/> messages of <paramref name="channel"/> have arrived.</summary>
    public async Task<List<JsonElement>> MessagesAsync(string channel, int count, int maxPolls = 50)
    {
        var messages = new List<JsonElement>();
        for (var poll = 0; poll < maxPolls && messages.Count < count; poll++)
        {
            messages.AddRange((await PollAsync()).Where(e => e.GetProperty("type").GetString() == "message" && e.GetProperty("channel").GetString() == channel));
        }
        return messages;
    }

    public void Dispose() => _http.Dispose();
}
