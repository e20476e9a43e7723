using System.Net.Sockets;
using System.Text;

namespace RealtimeAspire.Hosting.Infrastructure;

/// <summary>
/// Asks a Redis-protocol server for PING over a bare socket: the AppHost needs nothing more of Redis,
/// and it works the same against redis-server, Garnet and any compatible server.
/// </summary>
public static class RespProbe
{
    public static async Task<bool> PingAsync(string host, int port, string? password, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(host, port, cancellationToken);
        var stream = client.GetStream();
        // RESP arrays, not inline commands: Garnet does not answer inline commands.
        var request = (password is null ? "" : Command("AUTH", password)) + Command("PING");
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request), cancellationToken);

        var expected = password is null ? "+PONG\r\n" : "+OK\r\n+PONG\r\n";
        var buffer = new byte[256];
        var received = new StringBuilder();
        while (received.Length < expected.Length)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                break;
            }
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        return received.ToString() == expected;
    }

    private static string Command(params string[] parts) =>
        $"*{parts.Length}\r\n" + string.Concat(parts.Select(p => $"${Encoding.UTF8.GetByteCount(p)}\r\n{p}\r\n"));

    /// <summary>Reads StackExchange.Redis-style configuration: <c>host:port[,password=…][,…]</c>.</summary>
    public static (string Host, int Port, string? Password) Parse(string connectionString)
    {
        var parts = connectionString.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var endpoint = parts[0];
        var colon = endpoint.LastIndexOf(':');
        var host = colon < 0 ? endpoint : endpoint[..colon];
        var port = colon < 0 ? 6379 : int.Parse(endpoint[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var password = parts.Skip(1).Select(p => p.Split('=', 2)).FirstOrDefault(kv => kv[0].Equals("password", StringComparison.OrdinalIgnoreCase))?[1];
        return (host, port, password);
    }
}
