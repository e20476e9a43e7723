using System.Buffers;
using System.Net.Http.Headers;
using System.Text;

namespace RealtimeAspire.Bench.Clients;

/// <summary>An SSE stream (<c>/connect/sse</c>): open once the welcome event arrived, then read until disposed.</summary>
internal sealed class SseStream : IIdleConnection
{
    private readonly HttpResponseMessage _response;
    private readonly Stream _body;
    private readonly CancellationTokenSource _stop = new();
    private Task _reading = Task.CompletedTask;

    private SseStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _body = body;
    }

    public static async Task<SseStream> OpenAsync(HttpClient http, Uri uri, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        try
        {
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var stream = new SseStream(response, body);
            await stream.ReadUntilWelcomeAsync(cancellationToken);
            stream._reading = stream.ReadLoopAsync();
            return stream;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task ReadUntilWelcomeAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(2048);
        try
        {
            var seen = new StringBuilder();
            while (!seen.ToString().Contains("event: welcome", StringComparison.Ordinal))
            {
                var read = await _body.ReadAsync(buffer, cancellationToken);
                if (read == 0)
                {
                    throw new IOException("SSE stream ended before the welcome event");
                }
                seen.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(512);
        try
        {
            while (await _body.ReadAsync(buffer, _stop.Token) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or HttpRequestException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        await _reading;
        _stop.Dispose();
    }
}
