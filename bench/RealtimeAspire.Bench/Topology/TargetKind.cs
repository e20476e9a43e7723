namespace RealtimeAspire.Bench.Topology;

/// <summary>What a run connects to: the product, the raw reference server, or the SignalR reference.</summary>
internal enum TargetKind
{
    Product,
    Reference,
    SignalR,
}
