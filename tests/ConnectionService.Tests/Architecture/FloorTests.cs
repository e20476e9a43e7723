using RealtimeAspire.ConnectionService.Channels;
using RealtimeAspire.Testing.Architecture;

namespace RealtimeAspire.ConnectionService.Tests.Architecture;

/// <summary>
/// Connection.Service is built in floors (docs/architecture.md): a room (a folder, its namespace) may use the rooms on
/// the floors below it and nothing on its own floor or above, so every arrow points down. Read from the compiled
/// assembly, method bodies included: a back-edge fails here however it is written.
/// </summary>
public sealed class FloorTests
{
    private const string Root = "RealtimeAspire.ConnectionService";

    /// <summary>The floors, bottom up. A new folder must be given a floor here.</summary>
    public static readonly IReadOnlyDictionary<string, int> Floors = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["Diagnostics"] = 0,
        ["Protocol"] = 1,
        ["Auth"] = 1,
        ["Channels"] = 2,
        ["Connections"] = 2,
        ["Fanout"] = 3,
        ["History"] = 3,
        ["Presence"] = 3,
        ["Drain"] = 3,
        ["Subscriptions"] = 4,
        ["Publishing"] = 4,
        ["Transports"] = 5,
        ["Apis"] = 5,
    };

    [Fact]
    public void EveryRoomIsOnAFloor()
    {
        var unplaced = Types().Select(t => RoomOf(t.Namespace)).OfType<string>().Distinct().Where(r => !Floors.ContainsKey(r)).ToArray();

        Assert.True(unplaced.Length == 0, $"Folders of Connection.Service without a floor (add them to {nameof(Floors)} and docs/architecture.md): {string.Join(", ", unplaced)}");
    }

    [Fact]
    public void NoRoomUsesARoomOnItsOwnFloorOrAbove()
    {
        var violations = new List<string>();
        foreach (var type in Types())
        {
            if (RoomOf(type.Namespace) is not { } room || !Floors.TryGetValue(room, out var floor))
            {
                continue;
            }
            foreach (var used in type.References)
            {
                if (RoomOf(used) is { } usedRoom && usedRoom != room && Floors.TryGetValue(usedRoom, out var usedFloor) && usedFloor >= floor)
                {
                    violations.Add($"{type.Type} (floor {floor}) uses {used} (floor {usedFloor})");
                }
            }
        }

        Assert.True(violations.Count == 0, "Arrows that do not point down:\n" + string.Join('\n', violations.Order(StringComparer.Ordinal)));
    }

    private static IReadOnlyList<TypeUse> Types() => AssemblyReferences.Read(typeof(ChannelGate).Assembly);

    /// <summary>The room of a namespace or full type name: its first segment below the service's root; null outside it (Program, the composition root's extensions).</summary>
    private static string? RoomOf(string name)
    {
        if (!name.StartsWith(Root + ".", StringComparison.Ordinal))
        {
            return null;
        }
        var rest = name[(Root.Length + 1)..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }
}
