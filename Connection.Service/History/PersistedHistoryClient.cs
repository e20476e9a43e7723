using System.Net.Http.Headers;
using RealtimeAspire.ConnectionService.Protocol;
using RealtimeAspire.Contracts;
using RealtimeAspire.Contracts.Wire;
using RealtimeAspire.Integrations.Auth;

namespace RealtimeAspire.ConnectionService.History;

/// <summary>Message.Service's history API (<c>http://message-service</c> through service discovery), page by page.</summary>
public sealed class PersistedHistoryClient(HttpClient http, ChannelTokenIssuer tokens)
{
    public const string ServiceUri = "http://message-service";

    /// <summary>A token for one read on a subscriber's behalf needs to outlive only that read.</summary>
    private static readonly TimeSpan s_readTokenLifetime = TimeSpan.FromMinutes(5);
    private const int PageSize = 1000;

    /// <summary>Messages with <paramref name="after"/> &lt; seq ≤ <paramref name="upTo"/>, ascending; all of them or an exception.</summary>
    public async Task<IReadOnlyList<LiveMessage>> ReadRangeAsync(string channel, long after, long upTo, string subscriber, CancellationToken cancellationToken)
    {
        var messages = new List<LiveMessage>();
        var position = after;
        try
        {
            // Asks as the subscriber (whose right to the channel is already checked), so private channels work too.
            var token = tokens.Issue(subscriber, null, [channel], [], s_readTokenLifetime);
            while (position < upTo)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get,
                    $"/api/channels/{Uri.EscapeDataString(channel)}/messages?after={position}&limit={Math.Min(PageSize, upTo - position)}");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await http.SendAsync(request, cancellationToken);
                response.EnsureSuccessStatusCode();
                var page = await response.Content.ReadFromJsonAsync<HistoryPage>(cancellationToken)
                    ?? throw new InvalidOperationException("Empty history page.");
                foreach (var message in page.Messages.Where(m => m.Seq > position && m.Seq <= upTo))
                {
                    if (message.Seq != position + 1)
                    {
                        throw new InvalidOperationException($"Persisted history of '{channel}' has a gap after {position}.");
                    }
                    var (prefix, _) = MessageFrame.Build(channel, message.MsgId, message.From, message.Ts, System.Text.Encoding.UTF8.GetBytes(message.Data.GetRawText()));
                    messages.Add(new LiveMessage(message.Seq, 0, FrameKind.Message, MessageFrame.Complete(prefix, message.Seq)));
                    position = message.Seq;
                }
                if (!page.HasMore || page.Messages.Count == 0)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new HistoryUnavailableException(channel, after, ex);
        }
        if (position < upTo)
        {
            throw new HistoryUnavailableException(channel, after);
        }
        return messages;
    }
}
