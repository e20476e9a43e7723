using System.Net;
using System.Net.Sockets;

namespace RealtimeAspire.KafkaMockBroker;

/// <summary>
/// librdkafka's mock cluster listens on a port of its own choosing; the AppHost allocates the resource's port. This
/// forwards that port to the cluster, so clients bootstrap at an address that survives a broker restart (after
/// bootstrapping they talk to the broker address the cluster's metadata advertises).
/// </summary>
public sealed class BootstrapForwarder(int port, string target) : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, port);
    private readonly CancellationTokenSource _stop = new();
    private Task _accepting = Task.CompletedTask;

    public void Start()
    {
        _listener.Start();
        _accepting = AcceptAsync(_stop.Token);
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        var colon = target.LastIndexOf(':');
        var (host, targetPort) = (target[..colon], int.Parse(target[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = ForwardAsync(client, host, targetPort, cancellationToken);
        }
    }

    private static async Task ForwardAsync(Socket client, string host, int port, CancellationToken cancellationToken)
    {
        using (client)
        using (var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            try
            {
                await upstream.ConnectAsync(host, port, cancellationToken);
                await using var fromClient = new NetworkStream(client, ownsSocket: false);
                await using var toBroker = new NetworkStream(upstream, ownsSocket: false);
                // Either direction ending ends the pair.
                await Task.WhenAny(fromClient.CopyToAsync(toBroker, cancellationToken), toBroker.CopyToAsync(fromClient, cancellationToken));
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
            {
                // A client or the broker went away: nothing to forward any more.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
