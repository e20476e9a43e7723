using RealtimeAspire.Client;

namespace RealtimeAspire.Reliability.Tests.Scenario;

/// <summary>The .NET client as the scenarios use it: a fixed token, quick reconnects (a fault is the test, not the wait).</summary>
public static class ClientOptions
{
    public static RealtimeClientOptions For(Uri edge, string token, RealtimeTransport[] transports) => new()
    {
        EdgeUrl = edge,
        Token = token,
        Transports = transports,
        BackoffBase = TimeSpan.FromMilliseconds(200),
        BackoffMax = TimeSpan.FromSeconds(2),
        // A forced transport stays forced: no background upgrade.
        UpgradeAfter = TimeSpan.Zero,
    };
}
