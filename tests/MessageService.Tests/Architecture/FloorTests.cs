using RealtimeAspire.MessageService.Persistence;
using RealtimeAspire.Testing.Architecture;

namespace RealtimeAspire.MessageService.Tests.Architecture;

/// <summary>
/// Message.Service is built in floors (docs/architecture.md): a room may use the rooms on the floors below it and
/// nothing on its own floor or above. Read from the compiled assembly, method bodies included.
/// </summary>
public sealed class FloorTests
{
    private const string Root = "RealtimeAspire.MessageService";

    /// <summary>The floors, bottom up. A new folder must be given a floor here and in docs/architecture.md.</summary>
    private static readonly Dictionary<string, int> s_floors = new(StringComparer.Ordinal)
    {
        ["Configuration"] = 0,
        ["Diagnostics"] = 0,
        ["Data"] = 1,
        ["Persistence"] = 2,
        ["Consumers"] = 3,
        ["Recovery"] = 3,
        ["Apis"] = 4,
        // The tail check waits for the consumers to catch up: Recovery's ConsumerGroupProgress.
        ["Gaps"] = 4,
        // The composition root (AddMessageService, MapMessageService) wires every room together: above them all.
        ["Extensions"] = 5,
    };

    [Fact]
    public void EveryRoomIsOnAFloor()
    {
        var unplaced = FloorRule.UnplacedRooms(typeof(MessageBatchWriter).Assembly, Root, s_floors);

        Assert.True(unplaced.Count == 0, $"Folders of Message.Service without a floor: {string.Join(", ", unplaced)}");
    }

    [Fact]
    public void NoRoomUsesARoomOnItsOwnFloorOrAbove()
    {
        var violations = FloorRule.Violations(typeof(MessageBatchWriter).Assembly, Root, s_floors);

        Assert.True(violations.Count == 0, "Arrows that do not point down:\n" + string.Join('\n', violations));
    }
}
