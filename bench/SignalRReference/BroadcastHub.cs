using System.Text.Json;
using Microsoft.AspNetCore.SignalR;

namespace RealtimeAspire.Bench.SignalRReference;

/// <summary>
/// Channels as SignalR groups: a connection joins the groups named in <c>?channels=</c> when it connects (as the raw
/// reference does, so neither reference spends a round trip on subscribing), <c>Publish(channel, data)</c> sends
/// <c>m(data)</c> to the group through the Redis backplane.
/// </summary>
public sealed class BroadcastHub : Hub
{
    public override async Task OnConnectedAsync()
    {
        var channels = Context.GetHttpContext()?.Request.Query["channels"].ToString();
        foreach (var channel in (channels ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, channel);
        }
    }

    public Task Publish(string channel, JsonElement data) => Clients.Group(channel).SendAsync("m", data);
}
