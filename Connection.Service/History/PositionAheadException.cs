namespace RealtimeAspire.ConnectionService.History;

/// <summary>
/// A client resumed a channel from a position the channel never reached (it kept its position across a data reset
/// or a re-creation of the channel): accepting it would drop every later message as a duplicate.
/// </summary>
public sealed class PositionAheadException(string channel, long requested, long current)
    : Exception($"Position {requested} of '{channel}' is ahead of the channel, which is at {current}.")
{
    public string Channel { get; } = channel;
    public long Requested { get; } = requested;
    public long Current { get; } = current;
}
