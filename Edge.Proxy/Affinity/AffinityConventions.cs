namespace RealtimeAspire.EdgeProxy.Affinity;

/// <summary>Where an affinity key travels, in one place: the wire contract between clients, the edge and the services.</summary>
public static class AffinityConventions
{
    /// <summary>The YARP session affinity policy that reads all three carriers below.</summary>
    public const string PolicyName = "RealtimeAffinity";

    /// <summary>Request header a non-browser client sends its key in; response header the edge returns the key in.</summary>
    public const string ClientHeader = "X-Realtime-Affinity";

    /// <summary>Query parameter for clients that cannot set headers (EventSource).</summary>
    public const string QueryParameter = "affinity";

    /// <summary>Default name of the browser cookie (<c>Edge:Affinity:CookieName</c>).</summary>
    public const string DefaultCookieName = "realtime-affinity";

    /// <summary>Request header the edge sets towards the service: the key it chose (Connection.Service echoes it in <c>welcome</c>).</summary>
    public const string ForwardedHeader = "X-Edge-Affinity";
}
