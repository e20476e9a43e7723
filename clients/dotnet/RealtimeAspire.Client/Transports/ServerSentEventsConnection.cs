using System.Text;
using System.Text.Json;

namespace RealtimeAspire.Client.Transports;

/// <summary><c>GET /connect/sse?channels=…&amp;lastEventId=…</c> over HttpClient: <c>text/event-stream</c> parsed line by line.</summary>
internal sealed class ServerSentEventsConnection(TransportContext context) : HttpStreamConnection(context)
{
    public override RealtimeTransport Transport => RealtimeTransport.ServerSentEvents;

    protected override async Task<Task> StartAsync(IReadOnlyList<(string Channel, long? Seq)> positions, CancellationToken openTimeout, CancellationToken streamAborted)
    {
        var query = $"/connect/sse?channels={Uri.EscapeDataString(ChannelList(positions))}";
        if (PositionToken(positions) is { Length: > 0 } resume)
        {
            query += $"&lastEventId={Uri.EscapeDataString(resume)}";
        }
        HttpResponseMessage response;
        StreamReader reader;
        try
        {
            response = await ConnectRequestAsync(query, HttpCompletionOption.ResponseHeadersRead, openTimeout);
            reader = new StreamReader(await response.Content.ReadAsStreamAsync(openTimeout), Encoding.UTF8);
        }
        catch (OperationCanceledException ex) when (!streamAborted.IsCancellationRequested)
        {
            throw new ConnectFailure(ConnectFailureKind.Transport, "The SSE stream did not open in time.", inner: ex);
        }
        try
        {
            var welcome = await ReadEventAsync(reader, openTimeout)
                ?? throw new ConnectFailure(ConnectFailureKind.Transport, "The SSE stream ended before its welcome.");
            TakeWelcome(welcome.Frame);
            if (welcome.Id is { Length: > 0 } starting)
            {
                ReportPositions(starting);
            }
        }
        catch
        {
            reader.Dispose();
            response.Dispose();
            throw;
        }
        return ReadAllAsync(response, reader, streamAborted);
    }

    private async Task ReadAllAsync(HttpResponseMessage response, StreamReader reader, CancellationToken cancellationToken)
    {
        using (response)
        using (reader)
        {
            try
            {
                while (await ReadEventAsync(reader, cancellationToken) is { } sse)
                {
                    Context.Frame(this, sse.Frame);
                }
            }
            catch (IOException) when (!cancellationToken.IsCancellationRequested)
            {
                // The connection broke: the caller reconnects.
            }
        }
    }

    /// <summary>
    /// One event's <c>data:</c> (the frame carries its own <c>type</c>, so <c>event:</c> is not needed) and <c>id:</c>
    /// (read for the welcome's positions; later ids are the client's own positions again); comments skipped.
    /// </summary>
    private static async Task<(string? Id, JsonElement Frame)?> ReadEventAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var data = new StringBuilder();
        string? id = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length == 0)
                {
                    continue;
                }
                using var document = JsonDocument.Parse(data.ToString());
                return (id, document.RootElement.Clone());
            }
            if (line.StartsWith(':'))
            {
                continue;
            }
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            if (field == "id")
            {
                id = value;
            }
            else if (field == "data")
            {
                if (data.Length > 0)
                {
                    data.Append('\n');
                }
                data.Append(value);
            }
        }
        return null;
    }
}
