using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.ConnectionService.Channels;
using RealtimeAspire.ConnectionService.Diagnostics;
using RealtimeAspire.ConnectionService.Protocol;
using RealtimeAspire.ConnectionService.Publishing;
using RealtimeAspire.ConnectionService.Connections;

namespace RealtimeAspire.ConnectionService.Apis;

/// <summary>
/// <c>POST /api/channels/{channel}/messages</c> with <c>{"data": …}</c>: publishing for SSE and long-poll clients and
/// backends, with the WebSocket publish's validation and the same ack <c>{"seq","msgId"}</c> — sent only once Kafka has it.
/// </summary>
public static class PublishApi
{
    public sealed record PublishAck(long Seq, string MsgId);

    public static IEndpointConventionBuilder MapPublishApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/api/channels/{channel}/messages", PublishAsync).RequireAuthorization();

    private static async Task<Results<Ok<PublishAck>, ProblemHttpResult>> PublishAsync(
        string channel, HttpContext context, ChannelGate gate, MessagePublisher publisher, HttpRefusals refusals, HttpPublishRateLimiter rateLimiter,
        ConnectionMetrics metrics, IOptions<ConnectionLimitsOptions> limits)
    {
        var user = RealtimeUser.From(context.User);
        var body = await ReadBodyAsync(context.Request, limits.Value.MaxFrameBytes, context.RequestAborted);
        if (body.Problem is { } tooLarge)
        {
            return refusals.Refuse(tooLarge.Code, tooLarge.Message);
        }
        if (!TryReadData(body.Bytes, out var data, out var error))
        {
            return refusals.Refuse(data.IsEmpty && error is null ? ErrorCodes.MissingField : ErrorCodes.BadJson, error ?? "The body is {\"data\": <any JSON>}.");
        }
        if (!gate.TryAdmit(user, channel, ChannelAction.Publish, data.Length, out var name, out var settings, out var refusal))
        {
            return refusals.Refuse(refusal.Code, refusal.Message);
        }
        if (!rateLimiter.TryTake(user.Id, name.Namespace, settings))
        {
            context.Response.Headers.RetryAfter = "1";
            return refusals.Refuse(ErrorCodes.RateLimited, $"Over {settings.PublishRatePerSecond} publishes per second in '{name.Namespace}'.");
        }
        metrics.MessageIn(TransportNames.Http);
        try
        {
            var result = await publisher.PublishAsync(name, settings, user.Id, data, CancellationToken.None);
            return TypedResults.Ok(new PublishAck(result.Seq, result.MsgId));
        }
        catch (Exception ex) when (ex is PublishFailedException or StackExchange.Redis.RedisException or TimeoutException)
        {
            return refusals.Refuse(ErrorCodes.PublishFailed, "The message could not be made durable; it was not acknowledged. Retry.");
        }
    }

    private static async Task<(byte[] Bytes, Refusal? Problem)> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return ([], new Refusal(ErrorCodes.MessageTooLarge, $"The body is over {maxBytes} bytes."));
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return ([], new Refusal(ErrorCodes.MessageTooLarge, $"The body is over {maxBytes} bytes."));
            }
            buffer.Write(chunk, 0, read);
        }
        return (buffer.ToArray(), null);
    }

    /// <summary>Takes the raw JSON of <c>data</c> from <c>{"data": …}</c>, validating the whole body.</summary>
    private static bool TryReadData(byte[] body, out ReadOnlyMemory<byte> data, out string? error)
    {
        data = default;
        error = null;
        // The reader does not check the UTF-8 inside strings, and data goes out to subscribers as it came: a WebSocket
        // subscriber's client would close on the invalid text frame (1007), an SSE client would read garbage.
        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            error = "The body is not UTF-8 text.";
            return false;
        }
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "The body is a JSON object: {\"data\": <any JSON>}.";
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isData = reader.ValueTextEquals("data"u8);
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                if (isData)
                {
                    data = body.AsMemory(start, (int)reader.BytesConsumed - start);
                }
            }
            if (reader.Read())
            {
                error = "The body is one JSON object.";
                return false;
            }
        }
        catch (JsonException ex)
        {
            error = $"Malformed JSON: {ex.Message}";
            return false;
        }
        return !data.IsEmpty;
    }
}
