using RealtimeAspire.PresenceService.Store;
using RealtimeAspire.Testing.Architecture;

namespace RealtimeAspire.PresenceService.Tests.Architecture;

/// <summary>
/// Presence.Service is built in floors (docs/architecture.md): a room may use the rooms on the floors below it and
/// nothing on its own floor or above. Read from the compiled assembly, method bodies included.
/// </summary>
public sealed class FloorTests
{
    private const string Root = "RealtimeAspire.PresenceService";

    /// <summary>The floors, bottom up. A new folder must be given a floor here and in docs/architecture.md.</summary>
    private static readonly Dictionary<string, int> s_floors = new(StringComparer.Ordinal)
    {
        ["Auth"] = 0,
        ["Configuration"] = 0,
        ["Diagnostics"] = 0,
        ["Store"] = 1,
        ["Events"] = 2,
        ["Reports"] = 3,
        ["Apis"] = 4,
        ["Expiry"] = 4,
    };

    [Fact]
    public void EveryRoomIsOnAFloor()
    {
        var unplaced = FloorRule.UnplacedRooms(typeof(IPresenceStore).Assembly, Root, s_floors);

        Assert.True(unplaced.Count == 0, $"Folders of Presence.Service without a floor: {string.Join(", ", unplaced)}");
    }

    [Fact]
    public void NoRoomUsesARoomOnItsOwnFloorOrAbove()
    {
        var violations = FloorRule.Violations(typeof(IPresenceStore).Assembly, Root, s_floors);

        Assert.True(violations.Count == 0, "Arrows that do not point down:\n" + string.Join('\n', violations));
    }
}
