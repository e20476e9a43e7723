using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RealtimeAspire.Contracts;
using RealtimeAspire.MessageService.Recovery;

namespace RealtimeAspire.MessageService.Apis;

/// <summary>
/// <c>GET /internal/channels/{channel}/max-seq</c> → <c>{"channel","maxSeq"}</c>: for Connection.Service, when Redis has
/// lost a channel's counter (<c>?lostAt={unix ms}</c>: when Redis lost its data, which shortens the wait). Internal: the
/// edge does not route <c>/internal</c>.
/// </summary>
public static class SequenceRecoveryApi
{
    private static readonly long s_maxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    public static RouteGroupBuilder MapSequenceRecoveryApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/internal/channels").WithTags("Internal");
        group.MapGet("/{channel}/max-seq", GetMaxSeqAsync).WithName("GetChannelMaxSeq");
        return group;
    }

    // lostAt (optional): when the caller's Redis lost its data (unix ms, the caller's clock; any moment at or after
    // the loss). Bound as a string so that a bad value is a validation ProblemDetails like every other error.
    public static async Task<Results<Ok<MaxSeqResponse>, ValidationProblem, ProblemHttpResult>> GetMaxSeqAsync(
        string channel, [FromQuery] string? lostAt, MaxSequenceQuery recovery, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ChannelName.TryParse(channel, out var channelName))
        {
            errors["channel"] = ["Not a channel name (namespace:name)."];
        }
        DateTimeOffset? lostAtTime = null;
        if (lostAt is not null)
        {
            if (long.TryParse(lostAt, NumberStyles.None, CultureInfo.InvariantCulture, out var unixMs) && unixMs <= s_maxUnixMilliseconds)
            {
                lostAtTime = DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
            }
            else
            {
                errors["lostAt"] = ["Must be a non-negative integer: unix time in milliseconds."];
            }
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        return await recovery.MaxSeqAsync(channelName.Value, lostAtTime, cancellationToken) is { } maxSeq
            ? TypedResults.Ok(new MaxSeqResponse(channelName.Value, maxSeq))
            : TypedResults.Problem(
                title: "Highest sequence number not established",
                detail: "The message consumers did not reach the topic's end offsets in time, or the database cannot be read. Retry.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
