using RealtimeAspire.EdgeProxy.Routing;
using RealtimeAspire.Testing.Architecture;

namespace RealtimeAspire.EdgeProxy.Tests.Architecture;

/// <summary>Edge.Proxy's folders in floors (docs/architecture.md): every arrow points down, method bodies included.</summary>
public sealed class FloorTests
{
    private const string Root = "RealtimeAspire.EdgeProxy";

    /// <summary>The floors, bottom up. A new folder must be given a floor here and in docs/architecture.md.</summary>
    private static readonly Dictionary<string, int> s_floors = new(StringComparer.Ordinal)
    {
        ["Telemetry"] = 0,
        ["Refusals"] = 0,
        ["Affinity"] = 1,
        ["Health"] = 1,
        ["Limits"] = 1,
        ["RateLimiting"] = 1,
        ["StaticContent"] = 1,
        ["Transport"] = 1,
        ["Cors"] = 2,
        ["Routing"] = 3,
    };

    [Fact]
    public void EveryRoomIsOnAFloor()
    {
        var unplaced = FloorRule.UnplacedRooms(typeof(EdgeRouting).Assembly, Root, s_floors);

        Assert.True(unplaced.Count == 0, $"Folders of Edge.Proxy without a floor: {string.Join(", ", unplaced)}");
    }

    [Fact]
    public void NoRoomUsesARoomOnItsOwnFloorOrAbove()
    {
        var violations = FloorRule.Violations(typeof(EdgeRouting).Assembly, Root, s_floors);

        Assert.True(violations.Count == 0, "Arrows that do not point down:\n" + string.Join('\n', violations));
    }
}
