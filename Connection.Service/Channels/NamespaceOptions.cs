using System.ComponentModel.DataAnnotations;

namespace RealtimeAspire.ConnectionService.Channels;

/// <summary>Configuration of one channel namespace (<c>Channels:Namespaces:{name}</c>).</summary>
public sealed class NamespaceOptions
{
    public const int DefaultHistorySize = 1000;
    public const int DefaultMaxMessageBytes = 64 * 1024;

    /// <summary>Durable: sequenced, kept in Redis history, produced to Kafka and persisted. Ephemeral: Redis fan-out only.</summary>
    public bool Durable { get; set; } = true;

    /// <summary>How many recent messages Redis keeps per channel for resume.</summary>
    [Range(1, 1_000_000)] public int HistorySize { get; set; } = DefaultHistorySize;

    /// <summary>How long a quiet channel's Redis history lives.</summary>
    public TimeSpan HistoryTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Largest <c>data</c> value (UTF-8 JSON bytes) of one message.</summary>
    [Range(1, 16 * 1024 * 1024)] public int MaxMessageBytes { get; set; } = DefaultMaxMessageBytes;

    /// <summary>Publishes per second per connection (token bucket refill) in this namespace.</summary>
    [Range(0.001, 1_000_000)] public double PublishRatePerSecond { get; set; } = 50;

    /// <summary>Publishes a connection may make at once before the rate applies.</summary>
    [Range(1, 1_000_000)] public int PublishBurst { get; set; } = 100;

    public bool Presence { get; set; } = true;

    public bool Typing { get; set; } = true;

    /// <summary>A user's typing hints in one channel go out at most once per interval, over all their connections.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")] public TimeSpan TypingInterval { get; set; } = TimeSpan.FromSeconds(1);
}
