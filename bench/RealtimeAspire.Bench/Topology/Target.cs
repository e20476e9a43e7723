namespace RealtimeAspire.Bench.Topology;

/// <summary>
/// Where one run connects: the product (replicas directly or the edge; JWT, subscribe frames) or the reference
/// server (<c>/ws?channels=</c>, no auth). <see cref="MemoryPids"/> are the processes whose RSS is measured.
/// </summary>
internal sealed record Target(string Name, bool IsProduct, IReadOnlyList<Uri> Endpoints, IReadOnlyList<int> MemoryPids)
{
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
            builder.Path = "/ws";
            builder.Query = referenceChannels is null ? string.Empty : $"channels={Uri.EscapeDataString(referenceChannels)}";
        }
        return builder.Uri;
    }

    /// <summary>A channel name valid for this target: the product needs a namespace, the reference takes any.</summary>
    public string Channel(string ns, string name) => IsProduct ? $"{ns}:{name}" : name;
}
