using RealtimeAspire.ConnectionService.Channels;
using RealtimeAspire.Testing.Architecture;

namespace RealtimeAspire.ConnectionService.Tests.Architecture;

/// <summary>
/// Connection.Service is built in floors (docs/architecture.md): a room may use the rooms on the floors below it and
/// nothing on its own floor or above. Read from the compiled assembly, method bodies included: a back-edge fails
/// here however it is written.
/// </summary>
public sealed class FloorTests
{
    private const string Root = "RealtimeAspire.ConnectionService";

    /// <summary>The floors, bottom up. A new folder must be given a floor here and in docs/architecture.md.</summary>
    private static readonly Dictionary<string, int> s_floors = new(StringComparer.Ordinal)
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
        var unplaced = FloorRule.UnplacedRooms(typeof(ChannelGate).Assembly, Root, s_floors);

        Assert.True(unplaced.Count == 0, $"Folders of Connection.Service without a floor: {string.Join(", ", unplaced)}");
    }

    [Fact]
    public void NoRoomUsesARoomOnItsOwnFloorOrAbove()
    {
        var violations = FloorRule.Violations(typeof(ChannelGate).Assembly, Root, s_floors);

        Assert.True(violations.Count == 0, "Arrows that do not point down:\n" + string.Join('\n', violations));
    }
}
