using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace RealtimeAspire.ConnectionService.Tests.Clients;

/// <summary>One server-sent event as a browser's EventSource sees it.</summary>
public sealed record SseEvent(string? Id, string Event, JsonElement Data);

/// <summary>A test EventSource: parses the stream into events; remembers the last id as a browser does.</summary>
public sealed class SseStream : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<SseEvent> _events = Channel.CreateUnbounded<SseEvent>();
    private readonly Task _reading;

    private SseStream(HttpClient http, HttpResponseMessage response)
    {
        _http = http;
        _response = response;
        _reading = Task.Run(ReadAsync);
    }

    public string? LastEventId { get; private set; }

    public HttpResponseMessage Response => _response;

    public static async Task<SseStream> OpenAsync(Uri service, string token, string channels, string? lastEventId = null)
    {
        var http = new HttpClient { BaseAddress = service, Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/connect/sse?channels={Uri.EscapeDataString(channels)}&access_token={token}");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        using var timeout = new CancellationTokenSource(RealtimeSocket.DefaultTimeout);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.EnsureSuccessStatusCode();
        return new SseStream(http, response);
    }

    public async Task<SseEvent> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? RealtimeSocket.DefaultTimeout);
        try
        {
            return await _events.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No event arrived in time.");
        }
    }

    public async Task<List<SseEvent>> MessagesAsync(string channel, int count, TimeSpan? timeout = null)
    {
        var messages = new List<SseEvent>();
        using var cts = new CancellationTokenSource(timeout ?? RealtimeSocket.DefaultTimeout);
        while (messages.Count < count)
        {
            try
            {
                var e = await _events.Reader.ReadAsync(cts.Token);
                if (e.Event == "message" && e.Data.GetProperty("channel").GetString() == channel)
                {
                    messages.Add(e);
                }
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Got {messages.Count} of {count} messages of {channel}.");
            }
        }
        return messages;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        try
        {
            await _reading;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or HttpRequestException)
        {
        }
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        using var stream = await _response.Content.ReadAsStreamAsync(_stop.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string? id = null, name = null;
        var data = new StringBuilder();
        try
        {
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Length > 0)
                    {
                        if (id is not null)
                        {
                            LastEventId = id;
                        }
                        using var json = JsonDocument.Parse(data.ToString());
                        _events.Writer.TryWrite(new SseEvent(id, name ?? "message", json.RootElement.Clone()));
                    }
                    id = null;
                    name = null;
                    data.Clear();
                }
                else if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = line[4..];
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data.Append(line[6..]);
                }
            }
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }
}
