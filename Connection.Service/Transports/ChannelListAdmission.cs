using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.ConnectionService.Channels;
using RealtimeAspire.ConnectionService.Protocol;
using RealtimeAspire.Contracts;

namespace RealtimeAspire.ConnectionService.Transports;

/// <summary>
/// SSE and long poll name their channels in the query (<c>?channels=a,b</c>) and their positions in a token:
/// all are checked up front, and any refusal is a ProblemDetails response before the stream starts.
/// A long-poll cursor must name only listed channels (it is echoed back, so a stray channel would travel forever);
/// an SSE <c>Last-Event-ID</c> may name more (a page that now listens to fewer channels reconnects with its old id):
/// those positions are dropped.
/// </summary>
public static class ChannelListAdmission
{
    public static IResult? TryAdmit(ChannelGate gate, int maxSubscriptions, RealtimeUser user, string? channelList, string? positionsToken,
        out List<(ChannelName Channel, NamespaceOptions Settings)> channels, out Dictionary<string, long> positions, bool unlistedPositionsAreErrors = false)
    {
        channels = [];
        if (!StreamPositions.TryParse(positionsToken, out positions))
        {
            return Problem(ErrorCodes.BadJson, "The position token (Last-Event-ID or cursor) is malformed: expected channel@seq|channel@seq.", StatusCodes.Status400BadRequest);
        }
        var names = StreamPositions.ParseChannelList(channelList);
        if (names.Length == 0)
        {
            return Problem(ErrorCodes.MissingField, "Name the channels: ?channels=ns:a,ns:b.", StatusCodes.Status400BadRequest);
        }
        if (names.Length > maxSubscriptions)
        {
            return Problem(ErrorCodes.TooManySubscriptions, $"A connection may hold {maxSubscriptions} subscriptions.", StatusCodes.Status400BadRequest);
        }
        foreach (var name in names)
        {
            if (!gate.TryAdmit(user, name, ChannelAction.Subscribe, 0, out var channel, out var settings, out var refusal))
            {
                return Problem(refusal.Code, refusal.Message, HttpRefusals.StatusFor(refusal.Code));
            }
            channels.Add((channel, settings));
        }
        foreach (var positioned in positions.Keys.Where(p => !names.Contains(p, StringComparer.Ordinal)).ToArray())
        {
            if (unlistedPositionsAreErrors)
            {
                return Problem(ErrorCodes.CursorMismatch,
                    $"The cursor names '{positioned}', which is not in ?channels={channelList}: a cursor holds positions of the polled channels only (send the cursor of the last response).",
                    StatusCodes.Status400BadRequest);
            }
            positions.Remove(positioned);
        }
        return null;
    }

    private static IResult Problem(string code, string detail, int status) => HttpRefusals.Problem(code, detail, status);
}
