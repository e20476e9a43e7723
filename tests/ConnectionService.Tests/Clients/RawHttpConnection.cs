using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace RealtimeAspire.ConnectionService.Tests.Clients;

/// <summary>
/// One TCP connection that speaks HTTP/1.1 by hand: several requests in a row on it (keep-alive), then a WebSocket
/// upgrade, as the edge's pooled connections can send them.
/// </summary>
public sealed class RawHttpConnection : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly string _host;

    private RawHttpConnection(TcpClient tcp, string host)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _host = host;
    }

    public static async Task<RawHttpConnection> OpenAsync(Uri service)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(service.Host, service.Port).WaitAsync(Timeout);
        return new RawHttpConnection(tcp, service.Authority);
    }

    /// <summary>A GET whose response is read whole (a Content-Length or a chunked body); returns the status line.</summary>
    public async Task<string> GetAsync(string target)
    {
        await WriteAsync($"GET {target} HTTP/1.1\r\nHost: {_host}\r\n\r\n");
        var head = await ReadHeadAsync();
        var headers = head.Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (headers.TryGetValue("Content-Length", out var length))
        {
            var body = new byte[int.Parse(length, System.Globalization.CultureInfo.InvariantCulture)];
            await _stream.ReadExactlyAsync(body).AsTask().WaitAsync(Timeout);
        }
        else
        {
            await ReadUntilAsync("\r\n0\r\n\r\n");
        }
        return head.Split("\r\n")[0];
    }

    /// <summary>Sends a WebSocket upgrade of <c>/connect/ws</c>; on 101 the client WebSocket over this connection.</summary>
    public async Task<(string StatusLine, WebSocket? Socket)> UpgradeAsync(string token)
    {
        await WriteAsync($"GET /connect/ws?access_token={token} HTTP/1.1\r\nHost: {_host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
            + $"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {Convert.ToBase64String(Guid.NewGuid().ToByteArray())}\r\nSec-WebSocket-Protocol: realtime.v1.json\r\n\r\n");
        var status = (await ReadHeadAsync()).Split("\r\n")[0];
        if (!status.Contains(" 101 ", StringComparison.Ordinal))
        {
            return (status, null);
        }
        return (status, WebSocket.CreateFromStream(_stream, new WebSocketCreationOptions { IsServer = false, SubProtocol = "realtime.v1.json" }));
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }

    private Task WriteAsync(string text) => _stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask().WaitAsync(Timeout);

    /// <summary>Byte by byte up to the blank line, so nothing after the head (the body, WebSocket frames) is taken.</summary>
    private Task<string> ReadHeadAsync() => ReadUntilAsync("\r\n\r\n");

    private async Task<string> ReadUntilAsync(string end)
    {
        var text = new StringBuilder();
        var one = new byte[1];
        while (!text.ToString().EndsWith(end, StringComparison.Ordinal))
        {
            await _stream.ReadExactlyAsync(one).AsTask().WaitAsync(Timeout);
            text.Append((char)one[0]);
        }
        return text.ToString();
    }
}
