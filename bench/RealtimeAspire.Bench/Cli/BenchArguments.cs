using System.Globalization;

namespace RealtimeAspire.Bench.Cli;

/// <summary>
/// <c>&lt;scenario&gt; [--option value]…</c>. Reports every error at once, each naming the option to fix.
/// </summary>
internal static class BenchArguments
{
    public static readonly string[] Scenarios = ["fanout", "chat", "connections", "persist", "presence"];
    public const int PresenceMembers = 10_000;
    private static readonly string[] KnownTransports = ["websocket", "sse", "longpoll"];

    public const string Usage = """
        usage: RealtimeAspire.Bench <fanout|chat|connections|persist|presence> [options]
          --via direct|edge|nginx    connect to the replicas (from the AppHost's resources.json), through the edge, or through
                                     an nginx the tool starts in front of the replicas (default direct)
          --edge URL                 edge address (default http://localhost:5000)
          --edge-pid PID             the process behind --edge whose CPU and memory are measured (default: the AppHost's
                                     edge from resources.json; for an edge started by hand, e.g. to compare two builds)
          --data-path DIR            AppHost data folder holding resources.json and secrets.json (default .data)
          --out FILE                 write the results as JSON
          --reference on|off         also run the reference server, back to back (default on; fanout, chat, connections)
          --signalr on|off           also run the SignalR + Redis backplane reference (default on; fanout, chat, connections)
          --reference-instances N    processes of each reference server (default 3, like the replicas)
          --reference-redis CONN     Redis for the reference (default: the AppHost's)
          --connect-concurrency N    connections opened at once (default 64)
          --drain S                  seconds to wait for the last deliveries (default 5)
          --rounds N                 fanout, chat: the references and the product alternate N times; ratios use the medians (default 1)
        fanout:      --subscribers N (1000) --rate R msg/s (20) --duration S (20) --size BYTES (100) --namespace NS (feed)
        chat:        --rooms N (500) --members M (10) --rate R aggregate msg/s (500) --duration S (20) --size BYTES (100)
        connections: --connections N (10000) --transports websocket,sse,longpoll --replica I (0, direct only)
                     --fresh-replica on|off (off): kill that replica before each transport; the AppHost restarts it
                     --hold S (0): keep the connections open S seconds after measuring (to profile the server)
        persist:     --messages N (20000) --publishers P (6) --channels C (12) --size BYTES (100)
        presence:    --members N (10000, one user and one WebSocket each) join one fresh chat: channel, --concurrency C (200)
                     subscribes in flight; --leave on|off (on): then all close; --quiet S (2): no presence frame for S
                     seconds ends a phase; --settle-timeout S (120): the longest wait for the presence API's count.
                     No reference server has presence: --reference and --signalr do not apply (off is accepted)
        """;

    public static ParseResult Parse(IReadOnlyList<string> args)
    {
        var errors = new List<string>();
        if (args.Count == 0 || args[0].StartsWith('-'))
        {
            errors.Add($"missing scenario: one of {string.Join(", ", Scenarios)}");
            return new ParseResult(null, errors);
        }
        var scenario = args[0];
        if (!Scenarios.Contains(scenario, StringComparer.Ordinal))
        {
            errors.Add($"unknown scenario '{scenario}': one of {string.Join(", ", Scenarios)}");
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                errors.Add($"unexpected argument '{arg}': options are --name value");
                continue;
            }
            var name = arg[2..];
            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }
            if (value is null)
            {
                errors.Add($"--{name} needs a value");
                continue;
            }
            if (!values.TryAdd(name, value))
            {
                errors.Add($"--{name} given twice");
            }
        }

        var reader = new OptionReader(values, errors);
        var defaults = new BenchOptions { Scenario = scenario };
        var options = defaults with
        {
            Via = reader.Choice("via", ["direct", "edge", "nginx"], "direct") switch { "edge" => Via.Edge, "nginx" => Via.Nginx, _ => Via.Direct },
            Edge = reader.Url("edge", defaults.Edge),
            EdgePid = values.ContainsKey("edge-pid") ? reader.Int("edge-pid", 0, 1, int.MaxValue) : null,
            DataPath = reader.Text("data-path", defaults.DataPath),
            Out = reader.OptionalText("out"),
            Subscribers = reader.Int("subscribers", defaults.Subscribers, 1, 1_000_000),
            Rate = reader.Double("rate", scenario == "chat" ? 500 : defaults.Rate, 0.1, 1_000_000),
            Duration = reader.Double("duration", defaults.Duration, 1, 86_400),
            Size = reader.Int("size", defaults.Size, 40, 60_000),
            Rooms = reader.Int("rooms", defaults.Rooms, 1, 1_000_000),
            Members = reader.Int("members", scenario == "presence" ? PresenceMembers : defaults.Members, 1, scenario == "presence" ? 18_000 : 10_000),
            Connections = reader.Int("connections", defaults.Connections, 1, 1_000_000),
            Transports = reader.List("transports", KnownTransports, defaults.Transports),
            Replica = reader.Int("replica", defaults.Replica, 0, 1000),
            Messages = reader.Int("messages", defaults.Messages, 1, 100_000_000),
            Publishers = reader.Int("publishers", defaults.Publishers, 1, 10_000),
            Channels = reader.Int("channels", defaults.Channels, 1, 100_000),
            Reference = reader.Choice("reference", ["on", "off"], "on") == "on",
            SignalR = reader.Choice("signalr", ["on", "off"], "on") == "on",
            ReferenceInstances = reader.Int("reference-instances", defaults.ReferenceInstances, 1, 64),
            ReferenceRedis = reader.OptionalText("reference-redis"),
            ConnectConcurrency = reader.Int("connect-concurrency", defaults.ConnectConcurrency, 1, 10_000),
            DrainSeconds = reader.Double("drain", defaults.DrainSeconds, 0, 600),
            Namespace = reader.Text("namespace", defaults.Namespace),
            Rounds = reader.Int("rounds", defaults.Rounds, 1, 100),
            HoldSeconds = reader.Double("hold", defaults.HoldSeconds, 0, 86_400),
            FreshReplica = reader.Choice("fresh-replica", ["on", "off"], "off") == "on",
            Concurrency = reader.Int("concurrency", defaults.Concurrency, 1, 10_000),
            QuietSeconds = reader.Double("quiet", defaults.QuietSeconds, 0.1, 600),
            SettleTimeoutSeconds = reader.Double("settle-timeout", defaults.SettleTimeoutSeconds, 1, 3600),
            Leave = reader.Choice("leave", ["on", "off"], "on") == "on",
        };
        if (scenario == "presence")
        {
            // Neither reference server has presence: asking for one must not silently measure nothing.
            foreach (var name in new[] { "reference", "signalr" }.Where(n => values.GetValueOrDefault(n) == "on"))
            {
                errors.Add($"--{name} does not apply to presence: no reference server has presence");
            }
            options = options with { Reference = false, SignalR = false };
        }
        foreach (var unknown in values.Keys.Except(reader.Consumed, StringComparer.Ordinal))
        {
            errors.Add($"unknown option --{unknown}");
        }
        return errors.Count > 0 ? new ParseResult(null, errors) : new ParseResult(options, errors);
    }

    private sealed class OptionReader(Dictionary<string, string> values, List<string> errors)
    {
        public HashSet<string> Consumed { get; } = new(StringComparer.Ordinal);

        private string? Take(string name)
        {
            Consumed.Add(name);
            return values.GetValueOrDefault(name);
        }

        public string Text(string name, string fallback) => Take(name) ?? fallback;

        public string? OptionalText(string name) => Take(name);

        public int Int(string name, int fallback, int min, int max)
        {
            if (Take(name) is not { } raw)
            {
                return fallback;
            }
            if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                errors.Add($"--{name} must be a whole number, got '{raw}'");
                return fallback;
            }
            if (value < min || value > max)
            {
                errors.Add($"--{name} must be between {min} and {max}, got {value}");
            }
            return value;
        }

        public double Double(string name, double fallback, double min, double max)
        {
            if (Take(name) is not { } raw)
            {
                return fallback;
            }
            if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                errors.Add($"--{name} must be a number, got '{raw}'");
                return fallback;
            }
            if (value < min || value > max)
            {
                errors.Add($"--{name} must be between {min} and {max}, got {value}");
            }
            return value;
        }

        public string Choice(string name, string[] allowed, string fallback)
        {
            var raw = Take(name) ?? fallback;
            if (!allowed.Contains(raw, StringComparer.Ordinal))
            {
                errors.Add($"--{name} must be one of {string.Join("|", allowed)}, got '{raw}'");
                return fallback;
            }
            return raw;
        }

        public Uri Url(string name, Uri fallback)
        {
            if (Take(name) is not { } raw)
            {
                return fallback;
            }
            if (!Uri.TryCreate(raw, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"--{name} must be an absolute http(s) URL, got '{raw}'");
                return fallback;
            }
            return uri;
        }

        public IReadOnlyList<string> List(string name, string[] allowed, IReadOnlyList<string> fallback)
        {
            if (Take(name) is not { } raw)
            {
                return fallback;
            }
            var items = raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var item in items.Where(i => !allowed.Contains(i, StringComparer.Ordinal)))
            {
                errors.Add($"--{name}: unknown '{item}', allowed {string.Join(",", allowed)}");
            }
            if (items.Length == 0)
            {
                errors.Add($"--{name} needs at least one of {string.Join(",", allowed)}");
            }
            return items;
        }
    }
}
