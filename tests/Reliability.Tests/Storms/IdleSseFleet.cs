using System.Net.Http.Headers;
using System.Text;

namespace RealtimeAspire.Reliability.Tests.Storms;

/// <summary>
/// Many idle SSE streams on one replica, opened a bounded number at a time, as the benchmark's <c>connections</c>
/// scenario opens them: each counts as open once its welcome event arrived, then only counts message events.
/// Disposing closes every socket at once: the clients leave together.
/// </summary>
public sealed class IdleSseFleet : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly List<Stream> _streams = [];
    private readonly List<Task> _reading = [];
    private readonly CancellationTokenSource _stop = new();
    private int _messages;
    private int _failures;
    private string? _firstFailure;

    public IdleSseFleet(Uri replica)
    {
        // One socket per stream (HTTP/1.1), no limit per server: the fleet is the only client of the replica.
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, UseCookies = false })
        {
            BaseAddress = replica,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public int Open { get { lock (_streams) { return _streams.Count; } } }
    public int Failures => _failures;
    public string? FirstFailure => _firstFailure;
    public int MessagesReceived => Volatile.Read(ref _messages);

    /// <summary>Opens <paramref name="count"/> streams of <paramref name="channel"/>, <paramref name="concurrency"/> connects at a time.</summary>
    /// <remarks>Each connect is bounded by <paramref name="connectTimeout"/>; once <paramref name="storm"/> is cancelled the rest are not tried.</remarks>
    public async Task OpenAsync(int count, int concurrency, Func<int, string> tokenFor, string channel, TimeSpan connectTimeout, CancellationToken storm)
    {
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
        {
            if (storm.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failures);
                return;
            }
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(storm);
                timeout.CancelAfter(connectTimeout);
                var body = await ConnectAsync(tokenFor(i), channel, timeout.Token);
                lock (_streams)
                {
                    _streams.Add(body);
                    _reading.Add(CountMessagesAsync(body));
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
            {
                Interlocked.Increment(ref _failures);
                Interlocked.CompareExchange(ref _firstFailure, $"stream {i}: {ex.GetType().Name}: {ex.Message}", null);
            }
        });
    }

    private async Task<Stream> ConnectAsync(string token, string channel, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/connect/sse?channels={Uri.EscapeDataString(channel)}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var status = response.StatusCode;
            response.Dispose();
            throw new HttpRequestException($"/connect/sse answered {(int)status}");
        }
        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var seen = new StringBuilder();
        var buffer = new byte[1024];
        while (!seen.ToString().Contains("event: welcome", StringComparison.Ordinal))
        {
            var read = await body.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                throw new IOException("The stream ended before its welcome event.");
            }
            seen.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
        return body;
    }

    private async Task CountMessagesAsync(Stream body)
    {
        var buffer = new byte[512];
        var line = new List<byte>(64);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, _stop.Token)) > 0)
            {
                for (var i = 0; i < read; i++)
                {
                    if (buffer[i] != (byte)'\n')
                    {
                        line.Add(buffer[i]);
                        continue;
                    }
                    if (line.Count == 14 && Encoding.ASCII.GetString([.. line]) == "event: message")
                    {
                        Interlocked.Increment(ref _messages);
                    }
                    line.Clear();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or HttpRequestException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Task[] reading;
        lock (_streams)
        {
            foreach (var stream in _streams)
            {
                stream.Dispose();
            }
            reading = [.. _reading];
            _streams.Clear();
        }
        _http.Dispose();
        await Task.WhenAll(reading).WaitAsync(TimeSpan.FromSeconds(30));
    }
}
