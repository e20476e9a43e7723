using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace RealtimeAspire.ConnectionService.Connections;

/// <summary>Every connection this replica holds, and how many each user has (bounded by <see cref="ConnectionLimitsOptions.MaxConnectionsPerUser"/>).</summary>
public sealed class ConnectionRegistry(IOptions<ConnectionLimitsOptions> limits)
{
    private readonly ConcurrentDictionary<string, RealtimeConnection> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _perUser = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public IEnumerable<RealtimeConnection> All => _connections.Values;

    /// <summary>Checks the per-user limit and admits the connection; false when the user has too many.</summary>
    public bool TryAdd(RealtimeConnection connection)
    {
        var max = limits.Value.MaxConnectionsPerUser;
        while (true)
        {
            var current = _perUser.GetOrAdd(connection.User.Id, 0);
            if (current >= max)
            {
                return false;
            }
            if (_perUser.TryUpdate(connection.User.Id, current + 1, current))
            {
                _connections[connection.Id] = connection;
                return true;
            }
        }
    }

    public void Remove(RealtimeConnection connection)
    {
        if (!_connections.TryRemove(connection.Id, out _))
        {
            return;
        }
        while (true)
        {
            var current = _perUser.GetValueOrDefault(connection.User.Id);
            if (current <= 1)
            {
                // Remove only if still 1, so a concurrent add is not lost.
                if (_perUser.TryRemove(new KeyValuePair<string, int>(connection.User.Id, current)) || current == 0)
                {
                    return;
                }
            }
            else if (_perUser.TryUpdate(connection.User.Id, current - 1, current))
            {
                return;
            }
        }
    }
}
