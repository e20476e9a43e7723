namespace RealtimeAspire.ConnectionService.Diagnostics;

/// <summary>What became of a typing hint.</summary>
public enum TypingOutcome
{
    /// <summary>Published to the channel's subscribers.</summary>
    Sent,

    /// <summary>Dropped: the user's previous hint in the channel is within the namespace's typing interval.</summary>
    TooSoon,

    /// <summary>Dropped: Redis did not answer.</summary>
    Failed,
}
