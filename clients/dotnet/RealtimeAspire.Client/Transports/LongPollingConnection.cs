using System.Text.Json;

namespace RealtimeAspire.Client.Transports;

/// <summary><c>GET /connect/poll?channels=…&amp;cursor=…</c> in a loop; the first poll's cursor says where "from now" starts.</summary>
internal sealed class LongPollingConnection(TransportContext context) : HttpStreamConnection(context)
{
    public override RealtimeTransport Transport => RealtimeTransport.LongPolling;

    /// <summary>How long a first poll may go unanswered before it counts as held (accepted) rather than slow.</summary>
    private static readonly TimeSpan s_heldAfter = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The first poll answers at once when it must say where "from now" starts (a durable channel without a
    /// position), or refuses at once; otherwise the server holds it like any other, which means it was accepted.
    /// </summary>
    protected override async Task<Task> StartAsync(IReadOnlyList<(string Channel, long? Seq)> positions, CancellationToken openTimeout, CancellationToken streamAborted)
    {
        var channels = positions.Select(p => p.Channel).ToList();
        var first = PollAsync(positions, streamAborted);
        var done = await Task.WhenAny(first, Task.Delay(s_heldAfter < Context.Options.ConnectTimeout ? s_heldAfter : Context.Options.ConnectTimeout, CancellationToken.None));
        if (done != first)
        {
            return PollLoopAsync(channels, first, streamAborted);
        }
        try
        {
            Deliver(await first);
        }
        catch (OperationCanceledException ex) when (!streamAborted.IsCancellationRequested)
        {
            throw new ConnectFailure(ConnectFailureKind.Transport, "The first poll was not answered in time.", inner: ex);
        }
        return PollLoopAsync(channels, null, streamAborted);
    }

    /// <summary>The last cursor's positions: for channels the client has no position of (the idle <c>user:{sub}</c>), or every poll would start over.</summary>
    private readonly Dictionary<string, long> _cursor = new(StringComparer.Ordinal);

    private async Task PollLoopAsync(List<string> channels, Task<JsonElement>? pending, CancellationToken cancellationToken)
    {
        if (pending is not null)
        {
            Deliver(await pending);
        }
        while (!cancellationToken.IsCancellationRequested && !IsClosed)
        {
            Deliver(await PollAsync([.. channels.Select(c => (c, Context.SeqOf(c) ?? (_cursor.TryGetValue(c, out var seq) ? seq : (long?)null)))], cancellationToken));
        }
    }

    private async Task<JsonElement> PollAsync(IReadOnlyList<(string Channel, long? Seq)> positions, CancellationToken cancellationToken)
    {
        var query = $"/connect/poll?channels={Uri.EscapeDataString(ChannelList(positions))}";
        if (PositionToken(positions) is { Length: > 0 } cursor)
        {
            query += $"&cursor={Uri.EscapeDataString(cursor)}";
        }
        using var response = await ConnectRequestAsync(query, HttpCompletionOption.ResponseContentRead, cancellationToken);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return document.RootElement.Clone();
    }

    private void Deliver(JsonElement batch)
    {
        if (batch.TryGetProperty("events", out var events))
        {
            foreach (var frame in events.EnumerateArray())
            {
                if (frame.TryGetProperty("type", out var type) && type.GetString() == "welcome")
                {
                    TakeWelcome(frame);
                    continue;
                }
                Context.Frame(this, frame);
            }
        }
        if (batch.TryGetProperty("cursor", out var cursorElement) && cursorElement.GetString() is { Length: > 0 } cursor)
        {
            foreach (var (channel, seq) in ReportPositions(cursor))
            {
                _cursor[channel] = seq;
            }
        }
    }
}
