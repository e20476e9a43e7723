using System.Diagnostics;

namespace RealtimeAspire.Bench.Topology;

/// <summary>
/// nginx in front of the replicas, as a user would deploy it instead of the edge: WebSocket upgrade and SSE proxying,
/// sticky per user (<c>hash $http_authorization consistent</c>: every client here is 127.0.0.1, so <c>ip_hash</c> would
/// send all to one replica), one worker per core. Started by the tool with its own prefix and configuration in a temp
/// folder; <c>nginx</c> from PATH (Debian: <c>apt-get install nginx-light</c>).
/// </summary>
internal sealed class NginxHost : IDisposable
{
    private readonly Process _master;
    private readonly string _prefix;

    private NginxHost(Process master, string prefix, Uri endpoint)
    {
        _master = master;
        _prefix = prefix;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    /// <summary>The master and its workers.</summary>
    public IReadOnlyList<int> Pids => ProcessCpu.WithChildren(_master.Id);

    public static async Task<NginxHost> StartAsync(IReadOnlyList<Uri> replicas, HttpClient http, CancellationToken cancellationToken)
    {
        var prefix = Directory.CreateTempSubdirectory("bench-nginx-").FullName;
        Directory.CreateDirectory(Path.Combine(prefix, "logs"));
        var port = LocalServer.FreePort();
        await File.WriteAllTextAsync(Path.Combine(prefix, "nginx.conf"), Configuration(replicas, port, prefix), cancellationToken);
        var start = new ProcessStartInfo("nginx") { ArgumentList = { "-p", prefix, "-c", Path.Combine(prefix, "nginx.conf") }, UseShellExecute = false };
        var master = Process.Start(start) ?? throw new InvalidOperationException("could not start nginx");
        var host = new NginxHost(master, prefix, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await LocalServer.WaitHealthyAsync(http, host.Endpoint, master, TimeSpan.FromSeconds(15), cancellationToken);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    internal static string Configuration(IReadOnlyList<Uri> replicas, int port, string prefix) => $$"""
        daemon off;
        worker_processes auto;
        pid {{prefix}}/nginx.pid;
        error_log {{prefix}}/logs/error.log warn;
        worker_rlimit_nofile 20000;
        events { worker_connections 16000; }
        http {
            access_log off;
            map $http_upgrade $connection_upgrade { default upgrade; '' close; }
            upstream replicas {
                hash $http_authorization consistent;
        {{string.Concat(replicas.Select(r => $"        server {r.Authority};\n"))}}        keepalive 64;
            }
            server {
                listen 127.0.0.1:{{port}};
                location / {
                    proxy_pass http://replicas;
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection $connection_upgrade;
                    proxy_set_header Host $host;
                    proxy_set_header X-Forwarded-For $remote_addr;
                    proxy_buffering off;
                    proxy_read_timeout 1h;
                    proxy_send_timeout 1h;
                }
            }
        }
        """;

    public void Dispose()
    {
        try
        {
            if (!_master.HasExited)
            {
                // "-s stop" (SIGTERM to the master): the master ends its workers. A SIGKILL of workers first would only
                // have the master start new ones.
                using var stop = Process.Start(new ProcessStartInfo("nginx") { ArgumentList = { "-p", _prefix, "-c", Path.Combine(_prefix, "nginx.conf"), "-s", "stop" }, UseShellExecute = false });
                stop?.WaitForExit(5000);
                if (!_master.WaitForExit(10_000))
                {
                    _master.Kill(entireProcessTree: true);
                }
            }
        }
        catch (InvalidOperationException)
        {
        }
        _master.Dispose();
        try
        {
            Directory.Delete(_prefix, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
