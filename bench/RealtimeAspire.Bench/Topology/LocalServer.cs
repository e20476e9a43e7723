using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RealtimeAspire.Bench.Topology;

/// <summary>What the servers the tool starts itself (the references, nginx) share: a free port, and the wait for <c>/health</c>.</summary>
internal static class LocalServer
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Until <c>{endpoint}/health</c> answers 200; refused connections are retried for <paramref name="limit"/> while <paramref name="process"/> runs.</summary>
    public static async Task WaitHealthyAsync(HttpClient http, Uri endpoint, Process process, TimeSpan limit, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(endpoint, "/health"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (clock.Elapsed < limit && !process.HasExited)
            {
            }
            await Task.Delay(100, cancellationToken);
        }
    }
}
