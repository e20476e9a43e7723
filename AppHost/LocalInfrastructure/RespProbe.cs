using System.Net.Sockets;
using System.Text;

namespace RealtimeAspire.AppHost.LocalInfrastructure;

/// <summary>
/// Speaks just enough RESP over a bare socket for the AppHost's needs (PING for health, FLUSHALL for the dashboard
/// command): it works the same against redis-server, Garnet and any compatible server.
/// </summary>
public static class RespProbe
{
    public static async Task<bool> PingAsync(string host, int port, string? password, CancellationToken cancellationToken) =>
        await SendAsync(host, port, password, ["PING"], cancellationToken) == "+PONG";

    /// <summary>Authenticates when a password is given, sends one command and returns its reply's first line.</summary>
    public static async Task<string> SendAsync(string host, int port, string? password, string[] command, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(host, port, cancellationToken);
        var stream = client.GetStream();
        // RESP arrays, not inline commands: Garnet does not answer inline commands.
        var request = (password is null ? "" : Command("AUTH", password)) + Command(command);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request), cancellationToken);

        var expectedLines = password is null ? 1 : 2;
        var buffer = new byte[256];
        var received = new StringBuilder();
        while (received.ToString().Split("\r\n").Length <= expectedLines)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                break;
            }
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        var lines = received.ToString().Split("\r\n");
        if (password is not null && lines[0] != "+OK")
        {
            return lines[0];
        }
        return lines.Length > expectedLines - 1 ? lines[expectedLines - 1] : "";
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
