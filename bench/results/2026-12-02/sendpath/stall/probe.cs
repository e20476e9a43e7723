using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
// probe RESOURCES.json BENCHTXT OUT SECONDS: one subscriber per replica on the bench's product channel; per message: wall ms, replica, seq, now - ts
var res = JsonDocument.Parse(File.ReadAllText(args[0])).RootElement.EnumerateArray()
    .Where(r => r.GetProperty("name").GetString()!.StartsWith("connection-service-"))
    .Select(r => (Name: r.GetProperty("name").GetString()!, Url: r.GetProperty("urls")[0].GetString()!)).OrderBy(r => r.Name).ToArray();
string? channel = null;
while (channel is null)
{
    foreach (var line in File.Exists(args[1]) ? File.ReadAllLines(args[1]) : [])
    {
        var i = line.IndexOf(" subscribers on feed:");
        if (line.StartsWith("[product") && i > 0) channel = line[(i + 16)..].Split(',')[0];
    }
    await Task.Delay(200);
}
var out1 = TextWriter.Synchronized(new StreamWriter(args[2]) { AutoFlush = true });
using var http = new HttpClient();
var until = DateTime.UtcNow.AddSeconds(double.Parse(args[3]));
await Task.WhenAll(res.Select(async r =>
{
    var token = (await (await http.PostAsJsonAsync(new Uri(new Uri(r.Url), "/api/dev/token"), new { User = "probe-" + r.Name })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
    using var ws = new ClientWebSocket();
    ws.Options.AddSubProtocol("realtime.v1.json");
    ws.Options.SetRequestHeader("Authorization", $"Bearer {token}");
    await ws.ConnectAsync(new Uri(r.Url.Replace("http", "ws") + "/connect/ws"), default);
    await ws.SendAsync(Encoding.UTF8.GetBytes($"{{\"type\":\"subscribe\",\"id\":1,\"channel\":\"{channel}\"}}"), WebSocketMessageType.Text, true, default);
    var buf = new byte[65536];
    while (DateTime.UtcNow < until)
    {
        var n = 0; ValueWebSocketReceiveResult rr;
        do { rr = await ws.ReceiveAsync(buf.AsMemory(n), default); n += rr.Count; } while (!rr.EndOfMessage);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var doc = JsonDocument.Parse(buf.AsMemory(0, n)).RootElement;
        if (doc.GetProperty("type").GetString() == "message" && doc.TryGetProperty("ts", out var ts))
            out1.WriteLine($"{now} {r.Name[^1]} {doc.GetProperty("seq").GetInt64()} {now - ts.GetInt64()}");
    }
}));
