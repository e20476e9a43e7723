using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RealtimeAspire.Client.Diagnostics;

/// <summary>ActivitySource and Meter <c>RealtimeAspire.Client</c> (add them to OpenTelemetry by that name).</summary>
internal static class ClientTelemetry
{
    public const string Name = "RealtimeAspire.Client";

    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter s_meter = new(Name);

    public static readonly Counter<long> MessagesReceived = s_meter.CreateCounter<long>("realtime.client.messages.received", description: "Messages delivered to the application");

    public static readonly Counter<long> Duplicates = s_meter.CreateCounter<long>("realtime.client.messages.duplicates", description: "Messages dropped as already delivered (resume overlap)");

    public static readonly Counter<long> GapFills = s_meter.CreateCounter<long>("realtime.client.gap_fills", description: "Messages fetched from the history API to close a gap");

    public static readonly Counter<long> Connects = s_meter.CreateCounter<long>("realtime.client.connects", description: "Connections opened, by transport");

    public static readonly Counter<long> Reconnects = s_meter.CreateCounter<long>("realtime.client.reconnects", description: "Reconnect waits, by reason");

    public static readonly Counter<long> Upgrades = s_meter.CreateCounter<long>("realtime.client.upgrades", description: "Background attempts to move to a better transport, by from, to and outcome (upgraded, failed)");

    public static readonly Counter<long> TypingSent = s_meter.CreateCounter<long>("realtime.client.typing.sent", description: "Typing hints accepted by the server");

    public static readonly Counter<long> PresenceEvents = s_meter.CreateCounter<long>("realtime.client.presence.events", description: "Presence events delivered to subscriptions");

    public static readonly Histogram<double> PublishDuration = s_meter.CreateHistogram<double>("realtime.client.publish.duration", "ms", "Publish to durable ack");
}
