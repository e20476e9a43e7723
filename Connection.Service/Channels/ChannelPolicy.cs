using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using RealtimeAspire.Contracts;

namespace RealtimeAspire.ConnectionService.Channels;

/// <summary>Looks up a channel's namespace configuration; built once, read on every frame.</summary>
public sealed class ChannelPolicy(IOptions<ChannelOptions> options)
{
    private readonly FrozenDictionary<string, NamespaceOptions> _namespaces = options.Value.Namespaces.ToFrozenDictionary(StringComparer.Ordinal);

    public bool TryGet(ChannelName channel, out NamespaceOptions settings) =>
        _namespaces.TryGetValue(channel.Namespace, out settings!);

    public IEnumerable<string> Namespaces => _namespaces.Keys;
}
