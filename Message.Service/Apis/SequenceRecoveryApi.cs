using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using RealtimeAspire.Contracts;
using RealtimeAspire.MessageService.Configuration;
using RealtimeAspire.MessageService.Recovery;

namespace RealtimeAspire.MessageService.Apis;

/// <summary>
/// For Connection.Service, when its Redis has no counter for a channel (<c>?lostAt={unix ms}</c>: when Redis lost its
/// data, which shortens the wait). <c>POST /internal/channels/{channel}/claim</c> → <c>{"channel","maxSeq","new"}</c>
/// starts a new channel at once and recovers any other; <c>POST /internal/channels/claims</c> <c>{"channels":[…]}</c> →
/// <c>{"new":[…],"known":[…]}</c> starts many new channels with one statement and one commit (the known ones are then
/// claimed one by one); <c>GET …/max-seq</c> → <c>{"channel","maxSeq"}</c> only reads.
/// Internal: the edge does not route <c>/internal</c>.
/// </summary>
public static class SequenceRecoveryApi
{
    private static readonly long s_maxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    public static RouteGroupBuilder MapSequenceRecoveryApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/internal/channels").WithTags("Internal");
        group.MapGet("/{channel}/max-seq", GetMaxSeqAsync).WithName("GetChannelMaxSeq");
        group.MapPost("/{channel}/claim", ClaimAsync).WithName("ClaimChannelSequence");
        group.MapPost("/claims", ClaimBatchAsync).WithName("ClaimChannelSequences");
        return group;
    }

    public static async Task<Results<Ok<MaxSeqResponse>, ValidationProblem, ProblemHttpResult>> GetMaxSeqAsync(
        string channel, [FromQuery] string? lostAt, MaxSequenceQuery recovery, CancellationToken cancellationToken)
    {
        if (Validate(channel, lostAt, out var channelName, out var lostAtTime) is { } invalid)
        {
            return invalid;
        }
        return await recovery.MaxSeqAsync(channelName.Value, lostAtTime, cancellationToken) is { } maxSeq
            ? TypedResults.Ok(new MaxSeqResponse(channelName.Value, maxSeq))
            : NotEstablished();
    }

    public static async Task<Results<Ok<ClaimResponse>, ValidationProblem, ProblemHttpResult>> ClaimAsync(
        string channel, [FromQuery] string? lostAt, SequenceClaims claims, CancellationToken cancellationToken)
    {
        if (Validate(channel, lostAt, out var channelName, out var lostAtTime) is { } invalid)
        {
            return invalid;
        }
        return await claims.ClaimAsync(channelName.Value, lostAtTime, cancellationToken) is { } claim
            ? TypedResults.Ok(new ClaimResponse(channelName.Value, claim.MaxSeq, claim.New))
            : NotEstablished();
    }

    public static async Task<Results<Ok<ClaimBatchResponse>, ValidationProblem, ProblemHttpResult>> ClaimBatchAsync(
        ClaimBatchRequest? request, SequenceClaims claims, IOptions<SequenceRecoveryOptions> options, CancellationToken cancellationToken)
    {
        if (ValidateBatch(request?.Channels, options.Value.MaxClaimBatch) is { } invalid)
        {
            return invalid;
        }
        return await claims.ClaimBatchAsync(request!.Channels!.Select(c => c!).ToArray(), cancellationToken) is { } answer
            ? TypedResults.Ok(answer)
            : TypedResults.Problem(
                title: "Channels not claimed",
                detail: "The database cannot be written. Retry: a channel this attempt claimed is then known and claimed alone.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static ValidationProblem? ValidateBatch(IReadOnlyList<string?>? channels, int maxChannels)
    {
        var errors = new Dictionary<string, string[]>();
        if (channels is null || channels.Count == 0)
        {
            errors["channels"] = ["At least one channel name is required."];
        }
        else if (channels.Count > maxChannels)
        {
            errors["channels"] = [$"At most {maxChannels} channels per request (MessageService:SequenceRecovery:MaxClaimBatch), got {channels.Count}."];
        }
        else
        {
            var invalid = channels.Where(c => !ChannelName.TryParse(c, out _)).Select(c => c ?? "(null)").ToArray();
            if (invalid.Length > 0)
            {
                errors["channels"] = [$"{ChannelName.InvalidMessage} Invalid: {string.Join(", ", invalid.Select(c => $"'{c}'"))}."];
            }
        }
        return errors.Count > 0 ? TypedResults.ValidationProblem(errors) : null;
    }

    // lostAt (optional): when the caller's Redis lost its data (unix ms, the caller's clock; any moment at or after
    // the loss). Bound as a string so that a bad value is a validation ProblemDetails like every other error.
    private static ValidationProblem? Validate(string channel, string? lostAt, out ChannelName channelName, out DateTimeOffset? lostAtTime)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ChannelName.TryParse(channel, out channelName))
        {
            errors["channel"] = [ChannelName.InvalidMessage];
        }
        lostAtTime = null;
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
        return errors.Count > 0 ? TypedResults.ValidationProblem(errors) : null;
    }

    private static ProblemHttpResult NotEstablished() => TypedResults.Problem(
        title: "Highest sequence number not established",
        detail: "The message consumers did not reach the topic's end offsets in time, or the database cannot be read. Retry.",
        statusCode: StatusCodes.Status503ServiceUnavailable);
}
