namespace RealtimeAspire.ConnectionService.Channels;

/// <summary>Section <c>Channels</c>: the namespaces clients may use; any other namespace is refused.</summary>
public sealed class ChannelOptions
{
    public const string SectionName = "Channels";

    public Dictionary<string, NamespaceOptions> Namespaces { get; set; } = new(StringComparer.Ordinal);
}
