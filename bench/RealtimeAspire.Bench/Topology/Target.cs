namespace RealtimeAspire.Bench.Topology;

/// <summary>
/// Where one run connects: the product (replicas directly or the edge; JWT, subscribe frames), the raw reference
/// server (<c>/ws?channels=</c>, no auth) or the SignalR reference (<c>/hub?channels=</c>, SignalR's JSON protocol).
/// <see cref="MemoryPids"/> are the processes whose RSS is measured, <see cref="EdgePids"/> the proxy's (the edge or
/// nginx) whose CPU time per forwarded frame is.
/// </summary>
internal sealed record Target(string Name, TargetKind Kind, IReadOnlyList<Uri> Endpoints, IReadOnlyList<int> MemoryPids, IReadOnlyList<int>? EdgePids = null)
{
    public bool IsProduct => Kind == TargetKind.Product;

    /// <summary>One letter that keeps the channels of the targets of one run apart.</summary>
    public char Tag => Kind switch { TargetKind.Product => 'p', TargetKind.Reference => 'r', _ => 's' };

    public Uri EndpointFor(int index) => Endpoints[index % Endpoints.Count];

    public Uri WebSocketUri(int index, string? referenceChannels = null)
    {
        var http = EndpointFor(index);
        var builder = new UriBuilder(http) { Scheme = http.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" };
        if (IsProduct)
        {
            builder.Path = "/connect/ws";
        }
        else
        {
            builder.Path = Kind == TargetKind.SignalR ? "/hub" : "/ws";
            builder.Query = referenceChannels is null ? string.Empty : $"channels={Uri.EscapeDataString(referenceChannels)}";
        }
        return builder.Uri;
    }

    /// <summary>A channel name valid for this target: the product needs a namespace, the references take any.</summary>
    public string Channel(string ns, string name) => IsProduct ? $"{ns}:{name}" : name;
}
