using System.Diagnostics;
using System.Text.Json;
using RealtimeAspire.ConnectionService.Tests.Clients;

namespace RealtimeAspire.Reliability.Tests.Hostile;

/// <summary>
/// A client doing everything right while hostile ones do their worst: it publishes to a channel it subscribes to, one
/// message at a time, and checks that each is acknowledged and comes back, in order. A failure is kept and rethrown at
/// <see cref="StopAsync"/>, so the test says the replica stopped serving others and when.
/// </summary>
public sealed class WellBehavedClient : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private Task _running = Task.CompletedTask;
    private RealtimeSocket? _socket;

    public int RoundTrips { get; private set; }

    public static async Task<WellBehavedClient> StartAsync(Uri service, string user)
    {
        var client = new WellBehavedClient { _socket = await RealtimeSocket.ConnectAsync(service, HostileTopology.Token(user)) };
        var channel = $"chat:well-behaved-{Guid.NewGuid():N}";
        var ack = await client._socket.SubscribeAsync(channel);
        if (ack.GetProperty("type").GetString() != "ack")
        {
            throw new InvalidOperationException($"The well-behaved client could not subscribe: {ack}");
        }
        client._running = Task.Run(() => client.RunAsync(channel));
        return client;
    }

    private async Task RunAsync(string channel)
    {
        long lastSeq = 0;
        while (!_stop.IsCancellationRequested)
        {
            var text = $"round trip {RoundTrips}";
            var reply = await _socket!.PublishAsync(channel, text, TimeSpan.FromSeconds(20));
            if (reply.GetProperty("type").GetString() != "ack")
            {
                throw new InvalidOperationException($"At {_clock.Elapsed.TotalSeconds:0.0} s a publish was refused: {reply}");
            }
            var message = (await _socket.MessagesAsync(channel, 1, TimeSpan.FromSeconds(20)))[0];
            var seq = message.GetProperty("seq").GetInt64();
            if (message.GetProperty("data").GetString() != text || seq != lastSeq + 1 && lastSeq != 0)
            {
                throw new InvalidOperationException($"At {_clock.Elapsed.TotalSeconds:0.0} s message {message} after seq {lastSeq}, expected '{text}'.");
            }
            lastSeq = seq;
            RoundTrips++;
            // Paced, not synchronising: a steady client, not a load.
            await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        }
    }

    /// <summary>Stops and rethrows what went wrong; the number of round trips made (at least one, or it never worked).</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(TimeSpan.FromSeconds(60));
        if (RoundTrips == 0)
        {
            throw new InvalidOperationException("The well-behaved client never completed a round trip.");
        }
        return RoundTrips;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_socket is not null)
        {
            await _socket.DisposeAsync();
        }
        _stop.Dispose();
    }
}
