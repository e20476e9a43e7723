namespace RealtimeAspire.KafkaMockBroker;

/// <summary>Command line: <c>--listen PORT</c>, <c>--brokers N</c> and <c>--topic name</c> (repeatable) to create at start-up.</summary>
public sealed record MockBrokerOptions(int Brokers, IReadOnlyList<string> Topics, int? ListenPort)
{
    public static MockBrokerOptions Parse(string[] args)
    {
        var brokers = 1;
        int? listen = null;
        var topics = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--brokers" when i + 1 < args.Length:
                    brokers = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--listen" when i + 1 < args.Length:
                    listen = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--topic" when i + 1 < args.Length:
                    topics.Add(args[++i]);
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: KafkaMockBroker [--listen PORT] [--brokers N] [--topic NAME]...");
            }
        }
        return new MockBrokerOptions(brokers, topics, listen);
    }
}
