namespace RealtimeAspire.EdgeProxy.Telemetry;

/// <summary>Per-request record of the affinity lookup, read back when the response is affinitized and by telemetry.</summary>
public sealed class AffinityDecision
{
    public string? RequestKey { get; set; }

    public AffinityOutcome Outcome { get; set; }

    /// <summary>The key of the replica the request went to (also sent to it as <c>X-Edge-Affinity</c>).</summary>
    public string? ChosenKey { get; set; }
}
