using System.Reflection;

namespace RealtimeAspire.Testing.Architecture;

/// <summary>
/// A service built in floors (docs/architecture.md): a room (a folder below the service's root namespace) may use
/// rooms on lower floors only, never one on its own floor or above, so every arrow points down. Types outside the
/// rooms (Program, the composition root's extension methods) may use any room.
/// </summary>
public static class FloorRule
{
    /// <summary>Rooms of <paramref name="assembly"/> that are not in <paramref name="floors"/>.</summary>
    public static IReadOnlyList<string> UnplacedRooms(Assembly assembly, string root, IReadOnlyDictionary<string, int> floors) =>
        [.. AssemblyReferences.Read(assembly).Select(t => RoomOf(root, t.Namespace)).OfType<string>().Distinct().Where(r => !floors.ContainsKey(r)).Order(StringComparer.Ordinal)];

    /// <summary>Every reference from a room to a room on its own floor or above, method bodies included.</summary>
    public static IReadOnlyList<string> Violations(Assembly assembly, string root, IReadOnlyDictionary<string, int> floors)
    {
        var violations = new List<string>();
        foreach (var type in AssemblyReferences.Read(assembly))
        {
            if (RoomOf(root, type.Namespace) is not { } room || !floors.TryGetValue(room, out var floor))
            {
                continue;
            }
            foreach (var used in type.References)
            {
                if (RoomOf(root, used) is { } usedRoom && usedRoom != room && floors.TryGetValue(usedRoom, out var usedFloor) && usedFloor >= floor)
                {
                    violations.Add($"{type.Type} ({room}, floor {floor}) uses {used} ({usedRoom}, floor {usedFloor})");
                }
            }
        }
        return [.. violations.Order(StringComparer.Ordinal)];
    }

    /// <summary>The room of a namespace or full type name: its first segment below <paramref name="root"/>; null outside it.</summary>
    private static string? RoomOf(string root, string name)
    {
        if (!name.StartsWith(root + ".", StringComparison.Ordinal))
        {
            return null;
        }
        var rest = name[(root.Length + 1)..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }
}
