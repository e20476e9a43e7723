using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using RealtimeAspire.ConnectionService.Tests.Clients;

namespace RealtimeAspire.ConnectionService.Tests.Functional;

/// <summary>The server pings; a peer that never answers (dead network, frozen client) is closed, not kept forever.</summary>
[Collection(nameof(KeepAliveCollection))]
public sealed class KeepAliveTests(KeepAliveTopology topology)
{
    [Fact]
    public async Task ConnectionThatNeverAnswersPingsIsClosed()
    {
        var service = topology.Replica(0);
        var token = await Tokens.ForAsync(service, "silent");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(service.Host, service.Port);
        var stream = tcp.GetStream();
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var handshake = $"GET /connect/ws?access_token={token} HTTP/1.1\r\nHost: {service.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: realtime.v1.json\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(handshake));

        // Read everything the server sends (welcome, pings) and never answer; the server must end the connection.
        var buffer = new byte[4096];
        var received = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }
        }
        catch (IOException)
        {
            // Reset by the server: closed all the same.
        }

        Assert.StartsWith("HTTP/1.1 101", received.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"type\":\"welcome\"", received.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdleSseStreamGetsCommentHeartbeats()
    {
        var service = topology.Replica(0);
        var token = await Tokens.ForAsync(service, "idle-sse");
        using var http = new HttpClient { BaseAddress = service, Timeout = Timeout.InfiniteTimeSpan };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await http.GetAsync($"/connect/sse?channels=chat:idle&access_token={token}", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        var heartbeats = 0;
        while (heartbeats < 2 && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line == ": heartbeat")
            {
                heartbeats++;
            }
        }

        Assert.Equal(2, heartbeats);
    }
}
