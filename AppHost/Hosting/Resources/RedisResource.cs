using System.Globalization;
using RealtimeAspire.Hosting.Infrastructure;
using RealtimeAspire.Hosting.Orchestration;

namespace RealtimeAspire.Hosting.Resources;

/// <summary>
/// A Redis-protocol server: <c>redis-server</c> when the machine has it, else Garnet from the repository's tool manifest;
/// an existing server when <c>ConnectionStrings:{name}</c> is configured.
/// </summary>
public sealed class RedisResource(string name, string password, string? externalConnectionString, AppHostOptions options)
    : Resource(name), IProcessResource, IResourceWithConnectionString
{
    public override string Kind => IsExternal ? "Redis (external)" : $"Redis ({Server})";

    public int Port { get; } = PortAllocator.GetFreePort();

    public bool IsExternal => externalConnectionString is not null;

    /// <summary>Which server runs it, decided when it first starts: <c>redis-server</c> or <c>garnet</c>.</summary>
    public string Server => _redisServer is not null ? "redis-server" : _garnet is not null ? "garnet" : "not started";

    private string? _redisServer;
    private string? _garnet;

    public string ConnectionName => Name;

    public string? GetConnectionString() =>
        externalConnectionString ?? $"127.0.0.1:{Port},password={password}";

    public async Task PrepareAsync(ResourceInstance instance, CancellationToken cancellationToken)
    {
        _redisServer = ExecutableLocator.Find("redis-server", options.ToolSearchDirectories);
        if (_redisServer is null)
        {
            _garnet = await GarnetTool.LocateOrRestoreAsync(BuildInfo.RepositoryRoot, cancellationToken);
        }
    }

    public ProcessSpec CreateProcessSpec(ResourceInstance instance)
    {
        var port = Port.ToString(CultureInfo.InvariantCulture);
        return _redisServer is not null
            // No persistence: the recent history is a cache, and the services recover a lost sequence counter.
            ? new ProcessSpec(_redisServer, ["--port", port, "--bind", "127.0.0.1", "--requirepass", password, "--save", "", "--appendonly", "no"])
            : new ProcessSpec("dotnet", [_garnet!, "--port", port, "--bind", "127.0.0.1", "--lua", "--auth", "Password", "--password", password]);
    }

    public Task<bool> ProbeAsync(ResourceInstance instance, CancellationToken cancellationToken)
    {
        var (host, port, pwd) = RespProbe.Parse(GetConnectionString()!);
        return RespProbe.PingAsync(host, port, pwd, cancellationToken);
    }
}
