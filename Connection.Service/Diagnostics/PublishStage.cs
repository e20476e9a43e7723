namespace RealtimeAspire.ConnectionService.Diagnostics;

/// <summary>The stages of a durable publish that <c>realtime.publish.stage.duration</c> times apart.</summary>
public enum PublishStage
{
    /// <summary>The Redis publish script (sequence number, history, fan-out), with a counter claim when the channel had none.</summary>
    Sequence,

    /// <summary>The Kafka produce, sent to acknowledged (acks=all).</summary>
    Produce,
}
