namespace RealtimeAspire.AppHost.Topology;

/// <summary>A CPU priority for a resource's process (<c>nice</c> values: −20 first … 19 last).</summary>
public sealed record ResourceNiceness(int Value) : IResourceAnnotation
{
    /// <summary>For what every other service waits on (Redis, Presence.Service) on a machine they share: served first.</summary>
    public static ResourceNiceness ControlPlane { get; } = new(-5);
}
