using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RealtimeAspire.Contracts;
using RealtimeAspire.Contracts.Auth;
using RealtimeAspire.MessageService.Configuration;
using RealtimeAspire.MessageService.Data;

namespace RealtimeAspire.MessageService.Apis;

/// <summary>
/// <c>GET /api/channels/{channel}/messages?after=&amp;limit=</c> (forward, resume) or <c>?before=&amp;limit=</c>
/// (backward, scroll-back); messages always in ascending sequence order. The token must allow subscribing.
/// </summary>
public static class HistoryApi
{
    public static RouteGroupBuilder MapHistoryApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/channels").RequireAuthorization().WithTags("History");
        group.MapGet("/{channel}/messages", GetMessagesAsync).WithName("GetChannelMessages");
        return group;
    }

    public static async Task<Results<Ok<HistoryPage>, ValidationProblem, ForbidHttpResult>> GetMessagesAsync(
        string channel,
        string? after,
        string? before,
        string? limit,
        ClaimsPrincipal user,
        MessagesDbContext db,
        IOptions<HistoryOptions> options,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var errors = new Dictionary<string, string[]>();
        if (!ChannelName.TryParse(channel, out var channelName))
        {
            errors["channel"] = [ChannelName.InvalidMessage];
        }
        var afterSeq = ParseSeq(after, "after", errors);
        var beforeSeq = ParseSeq(before, "before", errors);
        if (after is not null && before is not null)
        {
            errors["before"] = ["Give either 'after' or 'before', not both."];
        }
        var pageSize = settings.DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize < 1 || pageSize > settings.MaxLimit))
        {
            errors["limit"] = [$"An integer from 1 to {settings.MaxLimit}."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!ChannelPermissions.FromClaims(user).CanSubscribe(channelName))
        {
            return TypedResults.Forbid();
        }

        var messages = db.Messages.AsNoTracking().Where(m => m.Channel == channelName.Value);
        List<StoredMessage> rows;
        if (beforeSeq is { } upper)
        {
            rows = await messages.Where(m => m.Seq < upper).OrderByDescending(m => m.Seq).Take(pageSize + 1).ToListAsync(cancellationToken);
            rows.Reverse();
            var olderExist = rows.Count > pageSize;
            return TypedResults.Ok(Page(channelName.Value, olderExist ? rows[1..] : rows, olderExist));
        }
        var lower = afterSeq ?? 0;
        rows = await messages.Where(m => m.Seq > lower).OrderBy(m => m.Seq).Take(pageSize + 1).ToListAsync(cancellationToken);
        var newerExist = rows.Count > pageSize;
        return TypedResults.Ok(Page(channelName.Value, newerExist ? rows[..pageSize] : rows, newerExist));
    }

    private static long? ParseSeq(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return null;
        }
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            return seq;
        }
        errors[name] = ["A sequence number: a non-negative integer."];
        return null;
    }

    private static HistoryPage Page(string channel, List<StoredMessage> rows, bool hasMore) =>
        new(channel, [.. rows.Select(m => new HistoryMessage(m.Channel, m.Seq, m.MsgId, m.Sender, m.Ts, ParseData(m.Data)))], hasMore);

    private static JsonElement ParseData(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
