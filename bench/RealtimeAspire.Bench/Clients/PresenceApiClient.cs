using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace RealtimeAspire.Bench.Clients;

/// <summary>
/// <c>GET /api/channels/{channel}/presence?countOnly=true</c> (Presence.Service directly, or through the edge, which
/// routes it): the member count the store keeps, the truth the presence frames are checked against.
/// </summary>
internal sealed class PresenceApiClient(HttpClient http, Uri service, string token)
{
    private sealed record ChannelCount(string Channel, long Count);

    public Uri Service => service;

    public async Task<long> CountAsync(string channel, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(service, $"/api/channels/{channel}/presence?countOnly=true"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {request.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
        var body = await response.Content.ReadFromJsonAsync<ChannelCount>(cancellationToken);
        return body?.Count ?? throw new InvalidOperationException($"GET {request.RequestUri}: no count in the answer");
    }

    /// <summary>
    /// Asks every <paramref name="interval"/> until the count is <paramref name="target"/> or <paramref name="deadline"/>
    /// (a <see cref="System.Diagnostics.Stopwatch"/> timestamp) passes: the timestamp it was first seen (0: never) and
    /// the last count read.
    /// </summary>
    public async Task<(long ReachedAt, long Count)> WatchAsync(string channel, long target, TimeSpan interval, long deadline, CancellationToken cancellationToken)
    {
        var count = -1L;
        while (true)
        {
            count = await CountAsync(channel, cancellationToken);
            if (count == target)
            {
                return (System.Diagnostics.Stopwatch.GetTimestamp(), count);
            }
            if (System.Diagnostics.Stopwatch.GetTimestamp() >= deadline)
            {
                return (0, count);
            }
            await Task.Delay(interval, cancellationToken);
        }
    }
}
