using System.Text;

namespace RealtimeAspire.Bench.Clients;

/// <summary>Builds publish frames whose <c>data</c> is <c>{"s":seq,"t":timestamp,"p":"xxx…"}</c> of a given size.</summary>
internal static class Payloads
{
    /// <summary><c>data</c> of <paramref name="size"/> bytes (at least what the two numbers need).</summary>
    public static string Data(long sequence, long sentAt, int size)
    {
        var head = $"{{\"s\":{sequence},\"t\":{sentAt},\"p\":\"";
        var padding = Math.Max(0, size - head.Length - 2);
        return string.Concat(head, new string('x', padding), "\"}");
    }

    public static byte[] ProductPublish(long id, string channel, long sequence, long sentAt, int size) =>
        Encoding.UTF8.GetBytes($"{{\"type\":\"publish\",\"id\":{id},\"channel\":\"{channel}\",\"data\":{Data(sequence, sentAt, size)}}}");

    public static byte[] ReferencePublish(string channel, long sequence, long sentAt, int size) =>
        Encoding.UTF8.GetBytes($"{{\"channel\":\"{channel}\",\"data\":{Data(sequence, sentAt, size)}}}");

    /// <summary>A SignalR invocation of the hub's <c>Publish(channel, data)</c> without an id: no completion comes back.</summary>
    public static byte[] SignalRPublish(string channel, long sequence, long sentAt, int size) =>
        Encoding.UTF8.GetBytes($"{{\"type\":1,\"target\":\"Publish\",\"arguments\":[\"{channel}\",{Data(sequence, sentAt, size)}]}}\u001e");

    public static byte[] Subscribe(long id, string channel) =>
        Encoding.UTF8.GetBytes($"{{\"type\":\"subscribe\",\"id\":{id},\"channel\":\"{channel}\"}}");

    /// <summary>Microseconds between two <see cref="System.Diagnostics.Stopwatch"/> timestamps.</summary>
    public static long Microseconds(long from, long to) =>
        (long)((to - from) * (1_000_000.0 / System.Diagnostics.Stopwatch.Frequency));

}
