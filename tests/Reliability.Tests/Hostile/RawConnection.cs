using System.Net.Sockets;
using System.Text;

namespace RealtimeAspire.Reliability.Tests.Hostile;

/// <summary>
/// A TCP connection that speaks HTTP/1.1 by hand: for what no HTTP client will send — headers trickled a byte at a
/// time, hundreds of headers, a body that never finishes, a WebSocket that goes silent.
/// </summary>
public sealed class RawConnection : IAsyncDisposable
{
    private readonly TcpClient _client = new() { NoDelay = true };
    private NetworkStream _stream = null!;

    public static async Task<RawConnection> OpenAsync(Uri service)
    {
        var connection = new RawConnection();
        await connection._client.ConnectAsync(service.Host, service.Port);
        connection._stream = connection._client.GetStream();
        return connection;
    }

    public Task SendAsync(string text) => SendAsync(Encoding.ASCII.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Everything the server sends until it closes the connection (bounded by <paramref name="timeout"/>); null if it did not close in time.</summary>
    public async Task<string?> ReadUntilClosedAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await _stream.ReadAsync(buffer, cts.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (IOException)
        {
            // A reset is a close too.
        }
        return Encoding.UTF8.GetString(received.ToArray());
    }

    /// <summary>
    /// Sends <paramref name="text"/> one byte every <paramref name="pause"/> until the server closes the connection or the
    /// text runs out; true when the server closed it first. The pause paces the trickle: it is the attack, not a wait.
    /// </summary>
    public async Task<bool> TrickleAsync(string text, TimeSpan pause)
    {
        foreach (var b in Encoding.ASCII.GetBytes(text))
        {
            try
            {
                await _stream.WriteAsync(new[] { b });
            }
            catch (IOException)
            {
                return true;
            }
            if (_client.Client.Poll(0, SelectMode.SelectRead) && _client.Client.Available == 0)
            {
                return true;
            }
            await Task.Delay(pause);
        }
        return false;
    }

    /// <summary>Reads the response head (status line and headers) of an upgrade or a stream, leaving the rest unread.</summary>
    public async Task<string> ReadHeadAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await _stream.ReadAsync(one, cts.Token) == 0)
            {
                break;
            }
            head.Append((char)one[0]);
        }
        return head.ToString();
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
