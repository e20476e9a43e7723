namespace RealtimeAspire.AppHost.Topology;

/// <summary>Marks a resource that <see cref="RestartOnFailure"/> starts again when its process fails.</summary>
public sealed class RestartOnFailureAnnotation : IResourceAnnotation;
