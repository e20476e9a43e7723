using System.Diagnostics;
using System.Text.Json;
using RealtimeAspire.Client.Diagnostics;

namespace RealtimeAspire.Client;

/// <summary>The channel APIs beside the stream: history and presence over HTTP, typing over the current transport.</summary>
public sealed partial class RealtimeClient
{
    /// <summary>The history API: persisted messages in ascending order, <paramref name="after"/> (forward) or <paramref name="before"/> (scroll-back).</summary>
    public async Task<RealtimeHistoryPage> GetHistoryAsync(string channel, long? after = null, long? before = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        var query = new List<string>();
        if (after is { } a)
        {
            query.Add($"after={a}");
        }
        if (before is { } b)
        {
            query.Add($"before={b}");
        }
        if (limit is { } l)
        {
            query.Add($"limit={l}");
        }
        using var activity = StartChannelActivity("history", channel);
        using var document = await GetJsonAsync($"/api/channels/{Uri.EscapeDataString(channel)}/messages", query, activity, cancellationToken);
        var root = document.RootElement;
        var messages = root.GetProperty("messages").EnumerateArray().Select(ToMessage).ToList();
        return new RealtimeHistoryPage(root.GetProperty("channel").GetString() ?? channel, messages, root.GetProperty("hasMore").GetBoolean());
    }

    /// <summary>
    /// The presence API: who is in the channel (the caller must be allowed to subscribe to it, else <c>forbidden</c>).
    /// <paramref name="countOnly"/> answers only the total (O(1)); <paramref name="limit"/> caps the members listed.
    /// </summary>
    public async Task<RealtimeChannelPresence> GetPresenceAsync(string channel, bool countOnly = false, int? limit = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        var query = new List<string>();
        if (countOnly)
        {
            query.Add("countOnly=true");
        }
        if (limit is { } l)
        {
            query.Add($"limit={l}");
        }
        using var activity = StartChannelActivity("presence", channel);
        using var document = await GetJsonAsync($"/api/channels/{Uri.EscapeDataString(channel)}/presence", query, activity, cancellationToken);
        return document.RootElement.Deserialize<RealtimeChannelPresence>(JsonSerializerOptions.Web)
            ?? throw new RealtimeException("bad_response", "The presence API answered null.");
    }

    /// <summary>
    /// A typing hint: at most one per user and channel per <c>TypingInterval</c> goes out; extra ones are dropped by
    /// the server without an error. A refusal throws <see cref="RealtimeException"/> (<c>typing_disabled</c>,
    /// <c>forbidden</c>, …). Sent as <c>POST /api/channels/{channel}/typing</c> on every transport: the WebSocket's
    /// typing frame has no reply when it succeeds, so its refusal could not be tied to this call.
    /// </summary>
    public async Task TypingAsync(string channel, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        using var activity = StartChannelActivity("typing", channel);
        try
        {
            await _context.TypingOverHttpAsync(channel, cancellationToken);
            ClientTelemetry.TypingSent.Add(1);
        }
        catch (RealtimeException ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Code);
            throw;
        }
    }

    private static Activity? StartChannelActivity(string name, string channel)
    {
        var activity = ClientTelemetry.ActivitySource.StartActivity(name, ActivityKind.Client);
        activity?.SetTag("realtime.channel", channel);
        return activity;
    }

    private async Task<JsonDocument> GetJsonAsync(string path, List<string> query, Activity? activity, CancellationToken cancellationToken)
    {
        var url = path + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        using var response = await _context.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, _context.Url(url)), HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var error = await _context.ErrorAsync(response, cancellationToken);
            activity?.SetStatus(ActivityStatusCode.Error, error.Code);
            throw error;
        }
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    }
}
