using System.Text.Json;

namespace RealtimeAspire.PresenceService.Tests.Functional;

/// <summary>Reading <c>presence {channel, joined[], left[]}</c> frames.</summary>
public static class PresenceFrames
{
    public static bool IsPresence(JsonElement frame, string channel) =>
        frame.GetProperty("type").GetString() == "presence" && frame.GetProperty("channel").GetString() == channel;

    public static string[] Joined(JsonElement frame) => Users(frame, "joined");

    public static string[] Left(JsonElement frame) => Users(frame, "left");

    public static bool Joins(JsonElement frame, string channel, string user) => IsPresence(frame, channel) && Joined(frame).Contains(user);

    public static bool Leaves(JsonElement frame, string channel, string user) => IsPresence(frame, channel) && Left(frame).Contains(user);

    private static string[] Users(JsonElement frame, string property) =>
        [.. frame.GetProperty(property).EnumerateArray().Select(u => u.GetProperty("user").GetString()!)];
}
