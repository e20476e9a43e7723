using RealtimeAspire.Bench.Metrics;

namespace RealtimeAspire.Bench.Scenarios;

/// <summary>
/// One storm of a presence round (<c>join</c>: every member subscribes; <c>leave</c>: every member closes). Seconds
/// count from the first subscribe (close) sent: <see cref="StormSeconds"/> until the last was acknowledged (closed),
/// <see cref="CountReachedSeconds"/> until a member saw the final count in a frame, <see cref="ApiSeconds"/> until the
/// presence API answered it, <see cref="LastFrameSeconds"/> until the last presence frame arrived (then none came for
/// the quiet period). <see cref="Failure"/> is set when the API's count is not the expected one within the bound.
/// </summary>
internal sealed record PresencePhase(
    string Phase,
    int Changes,
    double StormSeconds,
    double? CountReachedSeconds,
    double? ApiSeconds,
    double? LastFrameSeconds,
    long ExpectedCount,
    long ApiCount,
    long? MaxFrameCount,
    long? MinFrameCount,
    PresenceTotals Presence,
    string? Failure);
