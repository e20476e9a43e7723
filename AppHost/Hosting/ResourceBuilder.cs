using RealtimeAspire.Hosting.Resources;

namespace RealtimeAspire.Hosting;

/// <summary>Fluent configuration of one declared resource, as in Aspire.</summary>
public sealed class ResourceBuilder<T>(DistributedApplicationBuilder application, T resource) where T : Resource
{
    public DistributedApplicationBuilder ApplicationBuilder { get; } = application;

    public T Resource { get; } = resource;

    /// <summary>Gives this resource the other's connection string (<c>ConnectionStrings__x</c>) or endpoints (<c>services__x__http__i</c>).</summary>
    public ResourceBuilder<T> WithReference<TOther>(ResourceBuilder<TOther> other) where TOther : Resource
    {
        if (other.Resource is not (IResourceWithConnectionString or ProjectResource))
        {
            throw new ArgumentException($"'{other.Resource.Name}' has neither a connection string nor endpoints to reference.", nameof(other));
        }
        Resource.References.Add(other.Resource);
        return this;
    }

    /// <summary>Starts this resource only after every instance of the other is healthy.</summary>
    public ResourceBuilder<T> WaitFor<TOther>(ResourceBuilder<TOther> other) where TOther : Resource
    {
        Resource.WaitsFor.Add(other.Resource);
        return this;
    }

    public ResourceBuilder<T> WithEnvironment(string name, Func<string> value)
    {
        Resource.Environment[name] = value;
        return this;
    }

    public ResourceBuilder<T> WithEnvironment(string name, string value) => WithEnvironment(name, () => value);
}
