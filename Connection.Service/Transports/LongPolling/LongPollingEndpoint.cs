using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.ConnectionService.Channels;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.ConnectionService.Diagnostics;
using RealtimeAspire.ConnectionService.History;
using RealtimeAspire.ConnectionService.Protocol;
using RealtimeAspire.ConnectionService.Subscriptions;

namespace RealtimeAspire.ConnectionService.Transports.LongPolling;

/// <summary>
/// <c>GET /connect/poll?channels=a,b&amp;cursor=…</c> → <c>{"events":[…],"cursor":"…"}</c>. Stateless between polls:
/// the cursor holds every durable channel's position and the next poll, on any replica, continues exactly after
/// the last event returned, so a lost response is fetched again, never skipped. The first poll (no cursor)
/// answers at once with the starting cursor; later polls answer at once when events wait, else hold up to
/// <see cref="Connections.TransportOptions.PollTimeout"/> and return an empty batch.
/// </summary>
public static class LongPollingEndpoint
{
    /// <summary>After the first event arrives, how long a poll keeps collecting before it answers.</summary>
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(10);

    public static async Task PollAsync(HttpContext context, ConnectionAdmission admission, TransportRuntime runtime,
        ChannelGate gate, ChannelSubscriber subscriber, ReplicaIdentity replica, string? channels, string? cursor)
    {
        var user = RealtimeUser.From(context.User);
        if (ChannelListAdmission.TryAdmit(gate, runtime.Limits.MaxSubscriptions, user, channels, cursor, out var admitted, out var initial, unlistedPositionsAreErrors: true) is { } problem)
        {
            await problem.ExecuteAsync(context);
            return;
        }
        var connection = new LongPollingConnection(user, runtime);
        if (!await admission.TryAdmitAsync(context, connection))
        {
            return;
        }
        context.Response.Headers[RealtimeHeaders.Connection] = connection.Id;
        var positions = new ConcurrentDictionary<string, long>(initial, StringComparer.Ordinal);
        var events = new List<OutboundFrame>();
        try
        {
            var unpositioned = admitted.Where(a => a.Settings.Durable && !positions.ContainsKey(a.Channel.Value)).ToArray();
            if (unpositioned.Length > 0)
            {
                // First poll: fix the starting positions, so that nothing published from now on can be missed.
                foreach (var (channel, _) in unpositioned)
                {
                    positions[channel.Value] = await subscriber.CurrentPositionAsync(channel.Value);
                }
                events.Add(OutboundFrame.Control(ServerFrames.Welcome(connection.Id, replica.Name,
                    context.Request.Headers[RealtimeHeaders.EdgeAffinity].FirstOrDefault())));
            }
            else
            {
                await CollectAsync(context, runtime, subscriber, connection, admitted, positions, events);
            }
        }
        finally
        {
            await admission.ReleaseAsync(connection);
        }
        await WriteBatchAsync(context, runtime, connection, events, positions);
    }

    private static async Task CollectAsync(HttpContext context, TransportRuntime runtime, ChannelSubscriber subscriber, LongPollingConnection connection,
        List<(Contracts.ChannelName Channel, Channels.NamespaceOptions Settings)> admitted, ConcurrentDictionary<string, long> positions, List<OutboundFrame> events)
    {
        using var hold = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, connection.Closing);
        hold.CancelAfter(runtime.Transport.PollTimeout);
        using var subscribing = CancellationTokenSource.CreateLinkedTokenSource(hold.Token);
        var subscribed = SubscribeAllAsync(runtime, subscriber, connection, admitted, positions, subscribing.Token);
        try
        {
            if (await connection.Outbound.WaitToReadAsync(hold.Token))
            {
                await Task.WhenAny(subscribed, Task.Delay(Coalesce, runtime.Time, hold.Token));
            }
        }
        catch (OperationCanceledException)
        {
            // Timeout (an empty batch), client gone, or the replica draining.
        }
        await subscribing.CancelAsync();
        try
        {
            await subscribed;
        }
        catch (OperationCanceledException)
        {
        }
        var max = runtime.Transport.PollMaxEvents;
        while (events.Count < max && connection.Outbound.TryRead(out var frame))
        {
            events.Add(frame);
        }
    }

    private static async Task SubscribeAllAsync(TransportRuntime runtime, ChannelSubscriber subscriber, LongPollingConnection connection,
        List<(Contracts.ChannelName Channel, Channels.NamespaceOptions Settings)> admitted, ConcurrentDictionary<string, long> positions, CancellationToken cancellationToken)
    {
        foreach (var (channel, settings) in admitted)
        {
            try
            {
                await subscriber.SubscribeAsync(connection, channel, settings,
                    settings.Durable ? positions[channel.Value] : null, _ => { }, cancellationToken);
            }
            catch (HistoryUnavailableException ex)
            {
                runtime.Logger.HistoryUnavailable(ex.Channel, ex.Since, ex.InnerException);
                connection.TryEnqueue(ServerFrames.Error(null, ErrorCodes.HistoryUnavailable, ex.Message));
            }
            catch (PositionAheadException ex)
            {
                // Answered at once (the error is an event): the returned cursor holds the channel's current position.
                positions[channel.Value] = ex.Current;
                connection.TryEnqueue(ServerFrames.PositionAhead(null, ex.Channel, ex.Requested, ex.Current));
                await subscriber.SubscribeAsync(connection, channel, settings, ex.Current, _ => { }, cancellationToken);
            }
        }
    }

    private static async Task WriteBatchAsync(HttpContext context, TransportRuntime runtime, LongPollingConnection connection,
        List<OutboundFrame> events, ConcurrentDictionary<string, long> positions)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("events");
            foreach (var frame in events)
            {
                writer.WriteRawValue(frame.Json.Span, skipInputValidation: true);
                if (frame is { Kind: FrameKind.Message, Seq: > 0, Channel: { } channel })
                {
                    positions[channel] = frame.Seq;
                }
                runtime.MessageSent(connection.Transport, frame);
            }
            writer.WriteEndArray();
            writer.WriteString("cursor", StreamPositions.Format(positions));
            writer.WriteEndObject();
        }
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }
}
