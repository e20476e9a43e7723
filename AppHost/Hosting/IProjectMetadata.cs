namespace RealtimeAspire.Hosting;

/// <summary>A project the AppHost runs; the build generates one class per referenced project under <c>Projects</c>.</summary>
public interface IProjectMetadata
{
    string ProjectPath { get; }
}
