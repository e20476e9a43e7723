using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.ConnectionService.Diagnostics;

namespace RealtimeAspire.ConnectionService.Transports.LongPolling;

/// <summary>One held poll request: a connection that lives until it has events to return or its timeout.</summary>
public sealed class LongPollingConnection(RealtimeUser user, TransportRuntime runtime)
    : Connections.RealtimeConnection(TransportNames.LongPolling, user, runtime.Limits, perRequest: true);
