using Microsoft.AspNetCore.Http.Features;
using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.ConnectionService.Channels;
using RealtimeAspire.ConnectionService.Diagnostics;
using RealtimeAspire.ConnectionService.History;
using RealtimeAspire.ConnectionService.Protocol;
using RealtimeAspire.ConnectionService.Subscriptions;

namespace RealtimeAspire.ConnectionService.Transports.ServerSentEvents;

/// <summary><c>GET /connect/sse?channels=a,b</c>, resumed by <c>Last-Event-ID</c> (header, or <c>lastEventId</c> query).</summary>
public static class ServerSentEventsEndpoint
{
    public static async Task ConnectAsync(HttpContext context, ConnectionAdmission admission, TransportRuntime runtime,
        ChannelGate gate, ChannelSubscriber subscriber, ReplicaIdentity replica, string? channels, string? lastEventId)
    {
        var user = RealtimeUser.From(context.User);
        var token = context.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? lastEventId;
        if (ChannelListAdmission.TryAdmit(gate, runtime.Limits.MaxSubscriptions, user, channels, token, out var admitted, out var positions) is { } problem)
        {
            await problem.ExecuteAsync(context);
            return;
        }
        var connection = new ServerSentEventsConnection(user, runtime);
        if (!await admission.TryAdmitAsync(context, connection))
        {
            return;
        }
        try
        {
            var response = context.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache, no-transform";
            // Tells nginx-style proxies not to buffer; our own edge streams anyway.
            response.Headers["X-Accel-Buffering"] = "no";
            response.Headers[RealtimeHeaders.Connection] = connection.Id;
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            // Fix "now" for channels without a position before the welcome: whatever is published after a client
            // has its welcome reaches it, even while the stream is still subscribing.
            foreach (var (channel, settings) in admitted)
            {
                if (settings.Durable && !positions.ContainsKey(channel.Value))
                {
                    positions[channel.Value] = await subscriber.CurrentPositionAsync(channel.Value);
                }
            }
            foreach (var (channel, position) in positions)
            {
                connection.Positions[channel] = position;
            }

            var welcome = ServerFrames.Welcome(connection.Id, replica.Name, context.Request.Headers[RealtimeHeaders.EdgeAffinity].FirstOrDefault());
            // The welcome's id holds those positions: a client that drops before the first message resumes from them
            // (Last-Event-ID) instead of from a later "now".
            var startingPositions = connection.Positions.IsEmpty ? null : StreamPositions.Format(connection.Positions);
            await ServerSentEventsConnection.WritePreambleAsync(response, runtime.Transport.SseRetryMilliseconds, welcome, startingPositions, context.RequestAborted);
            var streaming = connection.RunAsync(context);

            foreach (var (channel, settings) in admitted)
            {
                try
                {
                    await subscriber.SubscribeAsync(connection, channel, settings,
                        positions.TryGetValue(channel.Value, out var since) ? since : null, _ => { }, context.RequestAborted);
                }
                catch (HistoryUnavailableException ex)
                {
                    runtime.Logger.HistoryUnavailable(ex.Channel, ex.Since, ex.InnerException);
                    connection.TryEnqueue(ServerFrames.Error(null, ErrorCodes.HistoryUnavailable, ex.Message));
                }
                catch (PositionAheadException ex)
                {
                    // The stream continues the channel from its current position: the error event says so, and
                    // the next message event's id carries that position, so a reconnect resumes from there.
                    connection.Positions[channel.Value] = ex.Current;
                    connection.TryEnqueue(ServerFrames.PositionAhead(null, ex.Channel, ex.Requested, ex.Current));
                    await subscriber.SubscribeAsync(connection, channel, settings, ex.Current, _ => { }, context.RequestAborted);
                }
            }
            await streaming;
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await admission.ReleaseAsync(connection);
        }
    }
}
