using System.Net.Http.Headers;
using System.Text.Json;

namespace RealtimeAspire.Bench.Clients;

/// <summary>
/// A long-poll client (<c>/connect/poll</c>): the first poll answers at once with the cursor; from then on one poll
/// is always held by the server until disposed.
/// </summary>
internal sealed class LongPoller : IIdleConnection
{
    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly string _token;
    private readonly CancellationTokenSource _stop = new();
    private Task _polling = Task.CompletedTask;

    private LongPoller(HttpClient http, Uri baseUri, string token)
    {
        _http = http;
        _base = baseUri;
        _token = token;
    }

    public static async Task<LongPoller> OpenAsync(HttpClient http, Uri baseUri, string token, CancellationToken cancellationToken)
    {
        var poller = new LongPoller(http, baseUri, token);
        var cursor = await poller.PollAsync(null, cancellationToken);
        poller._polling = poller.LoopAsync(cursor);
        return poller;
    }

    private async Task<string?> PollAsync(string? cursor, CancellationToken cancellationToken)
    {
        var uri = cursor is null ? _base : new Uri($"{_base}&cursor={Uri.EscapeDataString(cursor)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        using var response = await _http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        return document.RootElement.TryGetProperty("cursor", out var next) ? next.GetString() : cursor;
    }

    private async Task LoopAsync(string? cursor)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                cursor = await PollAsync(cursor, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException or IOException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _polling;
        _stop.Dispose();
    }
}
