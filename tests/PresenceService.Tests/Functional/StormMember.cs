using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace RealtimeAspire.PresenceService.Tests.Functional;

/// <summary>
/// A light WebSocket member for storms of thousands: subscribes, then reads and discards everything with a small
/// buffer (so the server never sees a slow consumer), and aborts on dispose.
/// </summary>
public sealed class StormMember : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private Task? _draining;

    public static async Task<StormMember> JoinAsync(Uri replica, string token, string channel, CancellationToken cancellationToken)
    {
        var member = new StormMember();
        member._socket.Options.AddSubProtocol("realtime.v1.json");
        var uri = new UriBuilder(replica) { Scheme = "ws", Path = "/connect/ws", Query = $"access_token={token}" }.Uri;
        await member._socket.ConnectAsync(uri, cancellationToken);
        await member._socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "subscribe", id = 1, channel }), WebSocketMessageType.Text, true, cancellationToken);
        // Frames up to the subscription's ack: the welcome, perhaps presence frames, then {"type":"ack","id":1,…}.
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await member._socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"Closed before the ack: {result.CloseStatus} {result.CloseStatusDescription}");
            }
            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }
            var text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            message.SetLength(0);
            if (text.Contains("\"id\":1", StringComparison.Ordinal))
            {
                if (!text.Contains("\"type\":\"ack\"", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"Subscribe refused: {text}");
                }
                break;
            }
        }
        member._draining = Task.Run(member.DrainAsync, CancellationToken.None);
        return member;
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        if (_draining is not null)
        {
            await _draining.WaitAsync(TimeSpan.FromSeconds(5));
        }
        _socket.Dispose();
    }

    private async Task DrainAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }
}
