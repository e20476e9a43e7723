using System.ComponentModel.DataAnnotations;

namespace RealtimeAspire.MessageService.Configuration;

/// <summary>
/// Section <c>MessageService:SequenceRecovery</c>: <c>GET /internal/channels/{channel}/max-seq</c>, the claims
/// (<c>POST /internal/channels/{channel}/claim</c> and <c>POST /internal/channels/claims</c>).
/// </summary>
public sealed class SequenceRecoveryOptions
{
    public const string SectionName = "MessageService:SequenceRecovery";

    /// <summary>
    /// Connection.Service's producer <c>message.timeout.ms</c>: after this long, every produce started before the
    /// request has either reached the topic or failed. Must equal (or exceed) the publishers' setting.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")] public TimeSpan ProducerDeliveryTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Added to the caller's <c>lostAt</c> (taken on the caller's clock) before comparing it with this service's clock:
    /// the largest clock difference between a Connection.Service replica and Message.Service that is tolerated.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")] public TimeSpan ClockSkewMargin { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the endpoint waits for the consumer group to reach the end offsets before answering 503.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")] public TimeSpan CatchUpTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The most channels one <c>POST /internal/channels/claims</c> may name (more is a 400): bounds the statement and
    /// the answer. Connection.Service's <c>Sequence:ClaimBatch:MaxChannels</c> must not exceed it.
    /// </summary>
    [Range(1, 10_000)] public int MaxClaimBatch { get; set; } = 500;
}
