using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RealtimeAspire.Integrations.Kafka;

/// <summary>Section <c>Kafka:Log</c>: how librdkafka's own log lines and client errors reach a service's log.</summary>
public sealed class KafkaLogOptions
{
    public const string SectionName = "Kafka:Log";

    /// <summary>
    /// Per client and kind of line (librdkafka facility, or error code), at most one line per interval; the next one
    /// after it says how many were suppressed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RepeatInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The log and error handler of every Kafka client of a service (set with <c>SetLogHandler</c> and
/// <c>SetErrorHandler</c>). Without one, librdkafka writes every line to stderr: during a broker restart each
/// client repeats "Connect to … failed: Connection refused" and "1/1 brokers are down" many times a second, flooding
/// the resource's console log. Here librdkafka's syslog levels map to log levels, transient transport errors are
/// warnings (the client reconnects by itself), and repeats of one kind of line within
/// <see cref="KafkaLogOptions.RepeatInterval"/> are counted instead of written.
/// </summary>
public sealed partial class KafkaClientLog(ILogger<KafkaClientLog> logger, IOptions<KafkaLogOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Repeats> _repeats = new(StringComparer.Ordinal);

    /// <summary>For <c>SetLogHandler</c>.</summary>
    public void OnLog<TClient>(TClient client, LogMessage line) =>
        Write($"{line.Name}|{line.Facility}", Level(line.Level), line.Name, line.Facility, line.Message);

    /// <summary>For <c>SetErrorHandler</c>.</summary>
    public void OnError<TClient>(TClient client, Error error) =>
        Write($"error|{error.Code}", error.IsFatal ? LogLevel.Error : LogLevel.Warning, "client", error.Code.ToString(), error.Reason);

    private void Write(string key, LogLevel level, string client, string facility, string message)
    {
        if (!logger.IsEnabled(level))
        {
            return;
        }
        var now = time.GetTimestamp();
        var repeats = _repeats.GetOrAdd(key, static _ => new Repeats());
        int suppressed;
        lock (repeats)
        {
            if (repeats.LastWritten is { } last && time.GetElapsedTime(last, now) < options.Value.RepeatInterval)
            {
                repeats.Suppressed++;
                return;
            }
            suppressed = repeats.Suppressed;
            repeats.Suppressed = 0;
            repeats.LastWritten = now;
        }
        Line(logger, level, client, facility, message, suppressed);
    }

    /// <summary>librdkafka's syslog levels: 0–3 errors, 4 warning, 5–6 notice/info, 7 debug.</summary>
    public static LogLevel Level(SyslogLevel level) => level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical or SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };

    [LoggerMessage(EventId = 9001, Message = "Kafka {Client} {Facility}: {Message} ({Suppressed} similar lines suppressed since the last one)")]
    private static partial void Line(ILogger logger, LogLevel level, string client, string facility, string message, int suppressed);

    private sealed class Repeats
    {
        public long? LastWritten;
        public int Suppressed;
    }
}
