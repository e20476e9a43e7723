using System.Diagnostics;
using RealtimeAspire.Contracts;

namespace RealtimeAspire.MessageService.Persistence;

/// <summary>
/// One span per persisted batch. It links every message's publish context (the envelope's W3C trace context) and
/// continues the publish trace as its parent when the whole batch belongs to one trace (a single message, typically).
/// </summary>
public static class PersistTracing
{
    public const string ActivityName = "persist messages";

    public static Activity? StartBatch(ActivitySource source, IReadOnlyList<IncomingMessage> messages)
    {
        var contexts = new List<ActivityContext>(messages.Count);
        foreach (var message in messages)
        {
            if (message.TraceParent is not null && ActivityContext.TryParse(message.TraceParent, message.TraceState, isRemote: true, out var context))
            {
                contexts.Add(context);
            }
        }
        var parent = contexts.Count > 0 && contexts.TrueForAll(c => c.TraceId == contexts[0].TraceId) ? contexts[0] : default;
        var activity = source.StartActivity(ActivityName, ActivityKind.Consumer, parent, links: contexts.Select(c => new ActivityLink(c)));
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.destination.name", KafkaTopics.Messages);
        activity?.SetTag("messaging.batch.message_count", messages.Count);
        activity?.SetTag("db.system.name", "postgresql");
        return activity;
    }
}
