using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RealtimeAspire.Integrations.Kafka;

namespace RealtimeAspire.ConnectionService.Tests.Unit;

public sealed class KafkaClientLogTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingLogger _logger = new();

    private KafkaClientLog Log(TimeSpan interval) => new(_logger, Options.Create(new KafkaLogOptions { RepeatInterval = interval }), _time);

    [Fact]
    public void ReconnectLinesOfABrokerRestartAreWrittenOncePerIntervalWithTheCountSuppressed()
    {
        var log = Log(TimeSpan.FromSeconds(30));

        for (var i = 0; i < 500; i++)
        {
            log.OnLog<object?>(null, new LogMessage("rdkafka#producer-1", SyslogLevel.Error, "FAIL", $"localhost:9092/1: Connect to ipv4#127.0.0.1:9092 failed: Connection refused (after {i} ms in state CONNECT)"));
            log.OnError<object?>(null, new Error(ErrorCode.Local_AllBrokersDown, "1/1 brokers are down"));
        }
        _time.Advance(TimeSpan.FromSeconds(31));
        log.OnLog<object?>(null, new LogMessage("rdkafka#producer-1", SyslogLevel.Error, "FAIL", "Connect failed again"));

        Assert.Equal(3, _logger.Lines.Count);
        Assert.Equal(LogLevel.Error, _logger.Lines[0].Level);
        Assert.Equal(LogLevel.Warning, _logger.Lines[1].Level);
        Assert.Contains("(499 similar lines suppressed", _logger.Lines[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DifferentClientsAndFacilitiesAreCountedApart()
    {
        var log = Log(TimeSpan.FromMinutes(1));

        log.OnLog<object?>(null, new LogMessage("rdkafka#producer-1", SyslogLevel.Warning, "FAIL", "a"));
        log.OnLog<object?>(null, new LogMessage("rdkafka#consumer-2", SyslogLevel.Warning, "FAIL", "b"));
        log.OnLog<object?>(null, new LogMessage("rdkafka#producer-1", SyslogLevel.Info, "CONFWARN", "c"));
        log.OnLog<object?>(null, new LogMessage("rdkafka#producer-1", SyslogLevel.Warning, "FAIL", "d"));

        Assert.Equal(["a", "b", "c"], _logger.Lines.Select(l => l.Message.Split(": ", 2)[1].Split(' ')[0]));
        Assert.Equal(LogLevel.Information, _logger.Lines[2].Level);
    }

    private sealed class RecordingLogger : ILogger<KafkaClientLog>
    {
        public List<(LogLevel Level, string Message)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception)));
    }
}
