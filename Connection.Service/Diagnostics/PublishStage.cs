namespace RealtimeAspire.ConnectionService.Diagnostics;

/// <summary>The stages of a durable publish that <c>realtime.publish.stage.duration</c> times apart.</summary>
public enum PublishStage
{
    /// <summary>The Redis publish script (sequence number, history, fan-out) of a channel whose counter Redis holds.</summary>
    Sequence,

    /// <summary>
    /// The publish script of a channel whose counter Redis did not hold (its first publish, or a lost counter): the
    /// script, the counter's claim from Message.Service, the script again.
    /// </summary>
    ClaimAndSequence,

    /// <summary>The Kafka produce, sent to acknowledged (acks=all).</summary>
    Produce,
}
