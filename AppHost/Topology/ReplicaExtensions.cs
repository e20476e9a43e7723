namespace RealtimeAspire.AppHost.Topology;

public static class ReplicaExtensions
{
    /// <summary>
    /// <paramref name="count"/> copies of a project as resources of their own (<c>{name}-0..n-1</c>), each listening on
    /// its own port with no proxy in front. Aspire's <c>WithReplicas</c> puts one load-balancing proxy before all of
    /// them, which defeats sticky routing. The telemetry of all copies is one service (<c>OTEL_SERVICE_NAME={name}</c>)
    /// with one instance per replica (<c>service.instance.id={name}-i</c>, the name the edge and the services use).
    /// </summary>
    public static IReadOnlyList<IResourceBuilder<ProjectResource>> AddReplicas<TProject>(
        this IDistributedApplicationBuilder builder, string name, int count, Action<IResourceBuilder<ProjectResource>> configure)
        where TProject : IProjectMetadata, new()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var replicaName = $"{name}-{i}";
            var replica = builder.AddServiceProject<TProject>(replicaName)
                .WithEnvironment("OTEL_SERVICE_NAME", name)
                .WithEnvironment("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=" + replicaName);
            configure(replica);
            return replica;
        })];
    }

    /// <summary>
    /// Service discovery of every replica under the group's name (<c>services__{name}__http__{i}</c>, the shape
    /// Aspire gives a replicated service), so the edge has one destination per replica; waits for all of them.
    /// </summary>
    public static IResourceBuilder<T> WithReplicaReferences<T>(this IResourceBuilder<T> builder, IReadOnlyList<IResourceBuilder<ProjectResource>> replicas)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        var group = replicas[0].Resource.Name[..replicas[0].Resource.Name.LastIndexOf('-')];
        for (var i = 0; i < replicas.Count; i++)
        {
            builder.WithEnvironment($"services__{group}__http__{i}", replicas[i].GetEndpoint("http")).WaitFor(replicas[i]);
        }
        return builder;
    }
}
