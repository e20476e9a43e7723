namespace RealtimeAspire.Bench.Scenarios;

/// <summary>Idle connections of one transport on one target: connect rate and server memory per connection.</summary>
internal sealed record ConnectionsRun(
    string Target,
    string Transport,
    int Requested,
    int Opened,
    int Failed,
    double ConnectsPerSecond,
    long RssBeforeBytes,
    long RssAfterBytes,
    double BytesPerConnection,
    double? EdgeBytesPerConnection);
