using RealtimeAspire.Client;

namespace RealtimeAspire.ConnectionService.Tests.Clients;

/// <summary>
/// Publishers that only need to publish well speak through the .NET client (clients/dotnet), straight to a replica
/// over WebSocket. Subscribers whose frames a test inspects stay raw (<see cref="RealtimeSocket"/>,
/// <see cref="SseStream"/>, <see cref="PollClient"/>): the client reorders and de-duplicates, so it would hide the
/// server's order and payload bytes, which is what those tests assert.
/// </summary>
public static class Publishers
{
    private static readonly TimeSpan s_connectTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Connected as <paramref name="user"/> (a development token with the default claims).</summary>
    public static async Task<RealtimeClient> ConnectAsync(Uri replica, string user)
    {
        var client = new RealtimeClient(new RealtimeClientOptions
        {
            EdgeUrl = replica,
            Token = await Tokens.ForAsync(replica, user),
            Transports = [RealtimeTransport.WebSocket],
        });
        try
        {
            await client.ConnectAsync().WaitAsync(s_connectTimeout);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }
}
