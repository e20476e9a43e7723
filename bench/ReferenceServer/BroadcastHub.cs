using System.Collections.Concurrent;
using System.Net.WebSockets;
using StackExchange.Redis;

namespace RealtimeAspire.Bench.ReferenceServer;

/// <summary>
/// Minimal broadcast: a client connects to <c>/ws?channels=a,b</c>, sends <c>{"channel":…,"data":…}</c>, and every
/// client of that channel on every instance receives the same bytes. One Redis subscription per channel per process,
/// taken on the first local subscriber and released with the last; one bounded queue and send loop per socket.
/// </summary>
internal sealed class BroadcastHub(IConnectionMultiplexer redis)
{
    private const string TopicPrefix = "ref:";
    private readonly ConcurrentDictionary<string, LocalGroup> _groups = new(StringComparer.Ordinal);
    private readonly ISubscriber _subscriber = redis.GetSubscriber();

    public async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        var channels = context.Request.Query["channels"].ToString()
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        try
        {
            await ServeAsync(context, socket, channels);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"connection failed: {ex.GetBaseException().Message}");
        }
    }

    private async Task ServeAsync(HttpContext context, WebSocket socket, string[] channels)
    {
        var connection = new ReferenceConnection(socket);
        foreach (var channel in channels)
        {
            await JoinAsync(channel, connection);
        }
        try
        {
            await connection.RunAsync(PublishAsync, context.RequestAborted);
        }
        finally
        {
            foreach (var channel in channels)
            {
                await LeaveAsync(channel, connection);
            }
        }
    }

    private Task PublishAsync(string channel, byte[] frame) =>
        _subscriber.PublishAsync(RedisChannel.Literal(TopicPrefix + channel), frame);

    private async Task JoinAsync(string channel, ReferenceConnection connection)
    {
        while (true)
        {
            var group = _groups.GetOrAdd(channel, static _ => new LocalGroup());
            if (group.TryAdd(connection, out var first))
            {
                if (first)
                {
                    var queue = await _subscriber.SubscribeAsync(RedisChannel.Literal(TopicPrefix + channel));
                    // OnMessage processes one channel's messages in order.
                    queue.OnMessage(message => group.Broadcast((byte[])message.Message!));
                    group.Activate(queue);
                }
                await group.Active;
                return;
            }
        }
    }

    private async Task LeaveAsync(string channel, ReferenceConnection connection)
    {
        if (_groups.TryGetValue(channel, out var group) && group.Remove(connection, out var queue))
        {
            _groups.TryRemove(new KeyValuePair<string, LocalGroup>(channel, group));
            if (queue is not null)
            {
                await queue.UnsubscribeAsync();
            }
        }
    }
}
