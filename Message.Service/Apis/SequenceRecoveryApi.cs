using Microsoft.AspNetCore.Http.HttpResults;
using RealtimeAspire.Contracts;
using RealtimeAspire.MessageService.Recovery;

namespace RealtimeAspire.MessageService.Apis;

/// <summary>
/// <c>GET /internal/channels/{channel}/max-seq</c> → <c>{"channel","maxSeq"}</c>: for Connection.Service, when Redis has
/// lost a channel's counter. Internal: the edge does not route <c>/internal</c>.
/// </summary>
public static class SequenceRecoveryApi
{
    public static RouteGroupBuilder MapSequenceRecoveryApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/internal/channels").WithTags("Internal");
        group.MapGet("/{channel}/max-seq", GetMaxSeqAsync).WithName("GetChannelMaxSeq");
        return group;
    }

    public static async Task<Results<Ok<MaxSeqResponse>, ValidationProblem, ProblemHttpResult>> GetMaxSeqAsync(
        string channel, SequenceRecovery recovery, CancellationToken cancellationToken)
    {
        if (!ChannelName.TryParse(channel, out var channelName))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["channel"] = ["Not a channel name (namespace:name)."] });
        }
        return await recovery.MaxSeqAsync(channelName.Value, cancellationToken) is { } maxSeq
            ? TypedResults.Ok(new MaxSeqResponse(channelName.Value, maxSeq))
            : TypedResults.Problem(
                title: "Highest sequence number not established",
                detail: "The message consumers did not reach the topic's end offsets in time, or the database cannot be read. Retry.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
