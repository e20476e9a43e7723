using RealtimeAspire.Client.Transports;

namespace RealtimeAspire.Client.Diagnostics;

/// <summary>
/// A test seam (internal, for RealtimeAspire.Clients.Tests): awaited at the race points of the subscription protocol
/// so that a test can stop a subscription exactly there instead of hoping a sleep lands in the window. Null outside
/// tests, where each point costs one field read.
/// </summary>
internal sealed class ClientTestHooks
{
    /// <summary>A connection answered a subscribe; the client has not recorded it yet (as if the stop raced the ack).</summary>
    public Func<IRealtimeConnection, string, Task>? SubscribeAnswered { get; init; }

    /// <summary>A background upgrade's candidate has subscribed every channel and is about to be adopted.</summary>
    public Func<IRealtimeConnection, Task>? CandidateSubscribed { get; init; }
}
