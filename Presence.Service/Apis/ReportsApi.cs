using Microsoft.AspNetCore.Http.HttpResults;
using RealtimeAspire.Contracts;
using RealtimeAspire.PresenceService.Auth;
using RealtimeAspire.PresenceService.Reports;
using RealtimeAspire.PresenceService.Store;

namespace RealtimeAspire.PresenceService.Apis;

/// <summary>
/// What Connection.Service replicas send: <c>POST /internal/presence/changes|refresh|release</c>, proven by
/// <see cref="ReportKey"/>. Not routed by the edge. Every report renews the replica's lease.
/// </summary>
public static class ReportsApi
{
    public const int MaxIdLength = 256;

    public static RouteGroupBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/internal/presence").WithTags("Presence reports");
        group.AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<ReportKey>().IsValid(context.HttpContext.Request)
                ? await next(context)
                : TypedResults.Problem($"Presence reports need a valid {ReportKey.Header}.", statusCode: StatusCodes.Status401Unauthorized, title: "unauthorized"));
        group.MapPost("/changes", ChangesAsync);
        group.MapPost("/refresh", RefreshAsync);
        group.MapPost("/release", ReleaseAsync);
        return group;
    }

    public static async Task<Results<NoContent, ValidationProblem>> ChangesAsync(ChangesReport report, PresenceReports reports, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var replica = ValidReplica(report.Replica, errors);
        var changes = new List<PresenceChange>(report.Changes?.Count ?? 0);
        for (var i = 0; i < (report.Changes?.Count ?? 0); i++)
        {
            var change = report.Changes![i];
            var join = change.Op == "join";
            if (!join && change.Op != "leave")
            {
                errors[$"changes[{i}].op"] = ["join or leave."];
                continue;
            }
            if (Member(new ReportedMember(change.Connection, change.Channel, change.User, change.Name), $"changes[{i}]", errors) is { } entry)
            {
                changes.Add(new PresenceChange(join, entry));
            }
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        await reports.ApplyAsync(replica!, changes, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ValidationProblem>> RefreshAsync(RefreshReport report, PresenceReports reports, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var replica = ValidReplica(report.Replica, errors);
        var members = new List<PresenceEntry>(report.Members?.Count ?? 0);
        for (var i = 0; i < (report.Members?.Count ?? 0); i++)
        {
            if (Member(report.Members![i], $"members[{i}]", errors) is { } entry)
            {
                members.Add(entry);
            }
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        await reports.RefreshAsync(replica!, members, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ValidationProblem>> ReleaseAsync(ReleaseReport report, PresenceReports reports, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var replica = ValidReplica(report.Replica, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        await reports.ReleaseAsync(replica!, cancellationToken);
        return TypedResults.NoContent();
    }

    private static string? ValidReplica(string? replica, Dictionary<string, string[]> errors)
    {
        if (!IsId(replica))
        {
            errors["replica"] = [$"The reporting replica's name: 1-{MaxIdLength} characters, no line breaks."];
            return null;
        }
        return replica;
    }

    private static PresenceEntry? Member(ReportedMember member, string path, Dictionary<string, string[]> errors)
    {
        if (!IsId(member.Connection))
        {
            errors[$"{path}.connection"] = [$"1-{MaxIdLength} characters, no line breaks."];
        }
        if (!ChannelName.TryParse(member.Channel, out var channel))
        {
            errors[$"{path}.channel"] = [ChannelName.InvalidMessage];
        }
        if (!IsId(member.User))
        {
            errors[$"{path}.user"] = [$"1-{MaxIdLength} characters, no line breaks."];
        }
        if (errors.Count > 0)
        {
            return null;
        }
        // The display name is the token's and may hold anything; a line break would split the stored value.
        var name = string.IsNullOrEmpty(member.Name) ? member.User! : member.Name.ReplaceLineEndings(" ");
        return new PresenceEntry(member.Connection!, channel.Value, member.User!, name);
    }

    private static bool IsId(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxIdLength && !value.Contains('\n', StringComparison.Ordinal) && !value.Contains('\r', StringComparison.Ordinal);
}
