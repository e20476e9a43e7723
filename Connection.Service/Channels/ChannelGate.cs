using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.ConnectionService.Protocol;
using RealtimeAspire.Contracts;

namespace RealtimeAspire.ConnectionService.Channels;

public enum ChannelAction
{
    Subscribe,
    Publish,
    Typing,
}

/// <summary>A refusal: the error code and a message a developer can act on.</summary>
public readonly record struct Refusal(string Code, string Message);

/// <summary>The checks every transport applies before touching a channel: name, namespace, permission, size.</summary>
public sealed class ChannelGate(ChannelPolicy policy)
{
    public bool TryAdmit(RealtimeUser user, string? channelName, ChannelAction action, int dataBytes,
        out ChannelName channel, out NamespaceOptions settings, out Refusal refusal)
    {
        settings = null!;
        refusal = default;
        if (!ChannelName.TryParse(channelName, out channel))
        {
            refusal = new(channelName is null ? ErrorCodes.MissingField : ErrorCodes.InvalidChannel,
                channelName is null ? "'channel' is missing." : $"'{channelName}' is not a channel name (namespace:name).");
            return false;
        }
        if (!policy.TryGet(channel, out settings))
        {
            refusal = new(ErrorCodes.UnknownNamespace, $"Namespace '{channel.Namespace}' is not configured; known: {string.Join(", ", policy.Namespaces)}.");
            return false;
        }
        var allowed = action == ChannelAction.Publish ? user.Permissions.CanPublish(channel) : user.Permissions.CanSubscribe(channel);
        if (!allowed)
        {
            refusal = new(ErrorCodes.Forbidden, $"The token does not allow {action.ToString().ToLowerInvariant()} on '{channel}'.");
            return false;
        }
        if (action == ChannelAction.Typing && !settings.Typing)
        {
            refusal = new(ErrorCodes.TypingDisabled, $"Typing is off in namespace '{channel.Namespace}'.");
            return false;
        }
        if (action == ChannelAction.Publish && dataBytes > settings.MaxMessageBytes)
        {
            refusal = new(ErrorCodes.MessageTooLarge, $"'data' is {dataBytes} bytes; namespace '{channel.Namespace}' allows {settings.MaxMessageBytes}.");
            return false;
        }
        return true;
    }
}
