namespace RealtimeAspire.Hosting.Resources;

/// <summary>
/// One named part of the topology. A resource runs as one or more <see cref="Orchestration.ResourceInstance"/>s
/// (replicas) or, when it points at an existing server, as none.
/// </summary>
public abstract class Resource(string name)
{
    public string Name { get; } = name;

    /// <summary>What the dashboard shows as the resource's type.</summary>
    public abstract string Kind { get; }

    public int Replicas { get; internal set; } = 1;

    /// <summary>
    /// The CPU scheduling niceness of the resource's processes relative to the AppHost's own (<c>nice -n</c>): -20
    /// (served first) to 19 (last), 0 by default. On a shared machine it stands in for the CPU a cluster would reserve
    /// for a service.
    /// </summary>
    public int Niceness { get; internal set; }

    /// <summary>Resources whose every instance must be healthy before an instance of this one starts.</summary>
    public IList<Resource> WaitsFor { get; } = [];

    /// <summary>Resources whose connection string or endpoints this one receives in its environment.</summary>
    public IList<Resource> References { get; } = [];

    /// <summary>Extra environment variables, evaluated when an instance starts.</summary>
    public IDictionary<string, Func<string>> Environment { get; } = new Dictionary<string, Func<string>>(StringComparer.Ordinal);

    public string InstanceName(int replica) => Replicas == 1 ? Name : $"{Name}-{replica}";

    /// <summary>The resource that must be healthy in place of this one (a database waits for its server).</summary>
    internal virtual Resource HealthOwner => this;
}
