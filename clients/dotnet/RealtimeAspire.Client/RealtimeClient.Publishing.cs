using System.Diagnostics;
using System.Text.Json;
using RealtimeAspire.Client.Diagnostics;

namespace RealtimeAspire.Client;

/// <summary>Publishing over the current connection, with its span and duration.</summary>
public sealed partial class RealtimeClient
{
    /// <summary>Publishes and returns the durable ack; throws <see cref="RealtimeException"/> with the protocol's code.</summary>
    public async Task<PublishAck> PublishAsync<T>(string channel, T data, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        var payload = JsonSerializer.SerializeToUtf8Bytes(data, JsonSerializerOptions.Web);
        var connection = await WaitConnectedAsync(cancellationToken);
        using var activity = ClientTelemetry.ActivitySource.StartActivity("publish", ActivityKind.Producer);
        activity?.SetTag("realtime.channel", channel);
        activity?.SetTag("realtime.transport", connection.Transport.ToString());
        var started = Stopwatch.GetTimestamp();
        try
        {
            var ack = await connection.PublishAsync(channel, payload, cancellationToken);
            activity?.SetTag("realtime.seq", ack.Seq);
            return ack;
        }
        catch (RealtimeException ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Code);
            throw;
        }
        finally
        {
            ClientTelemetry.PublishDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
