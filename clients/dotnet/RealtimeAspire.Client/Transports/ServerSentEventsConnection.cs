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
            TakeWelcome(welcome);
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
                while (await ReadEventAsync(reader, cancellationToken) is { } frame)
                {
                    Context.Frame(this, frame);
                }
            }
            catch (IOException) when (!cancellationToken.IsCancellationRequested)
            {
                // The connection broke: the caller reconnects.
            }
        }
    }

    /// <summary>One event's <c>data:</c> (the frame carries its own <c>type</c>, so <c>event:</c> is not needed); comments and <c>id:</c> skipped.</summary>
    private static async Task<JsonElement?> ReadEventAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length == 0)
                {
                    continue;
                }
                using var document = JsonDocument.Parse(data.ToString());
                return document.RootElement.Clone();
            }
            if (line.StartsWith(':'))
            {
                continue;
            }
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            if (field == "data")
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
