namespace RealtimeAspire.Client;

/// <summary>A <c>typing</c> event: <see cref="User"/> is typing in <see cref="Channel"/>.</summary>
public sealed record RealtimeTypingEvent(string Channel, string User);
