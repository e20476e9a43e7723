using RealtimeAspire.Hosting.Resources;

namespace RealtimeAspire.Hosting;

/// <summary>The declared topology, in declaration order (which is dependency order: a reference needs a declared resource).</summary>
public sealed record DistributedApplicationModel(IReadOnlyList<Resource> Resources, string DashboardUrl);
