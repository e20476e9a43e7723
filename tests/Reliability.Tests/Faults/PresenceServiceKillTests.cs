using RealtimeAspire.Client;
using RealtimeAspire.Reliability.Tests.Scenario;
using RealtimeAspire.Testing;
using Xunit.Abstractions;

namespace RealtimeAspire.Reliability.Tests.Faults;

/// <summary>
/// kill -9 of Presence.Service: messages are not its business (nothing lost, nothing twice), and once it is back the
/// members it lists for each channel are exactly the subscribers still connected (docs/presence.md: replicas send
/// it a full refresh).
/// </summary>
[Collection(nameof(ReliabilityCollection))]
public sealed class PresenceServiceKillTests(ReliabilityTopology topology, ITestOutputHelper output)
{
    private const string PresenceService = "presence-service";
    private static readonly TimeSpan s_presenceTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task KillingPresenceServiceLosesNoMessageAndItsMembersMatchTheConnectedSubscribersAfterItsRestart()
    {
        // Presence is right before the fault, or the check after it would prove nothing.
        await new FaultScenario(topology, output).RunAsync(KillFault.Of("kill -9 presence-service", PresenceService,
            beforeKill: context => PresenceMatchesAsync(context, "before the kill")) with
        {
            AfterRecoveryAsync = context => PresenceMatchesAsync(context, "after the restart"),
        });
    }

    /// <summary>Each channel's members (the presence API through the edge) are the users of its connected subscribers, one connection each.</summary>
    private static async Task PresenceMatchesAsync(FaultContext context, string when)
    {
        var started = context.Clock.Elapsed;
        var last = "";
        await BoundedWait.UntilAsync(async () =>
        {
            foreach (var channel in context.Load.Channels)
            {
                var expected = context.Subscribers.Where(s => s.Channel == channel && s.IsConnected).Select(s => s.User).Order(StringComparer.Ordinal).ToList();
                var asker = context.Subscribers.First(s => s.Channel == channel).Client;
                RealtimeChannelPresence presence;
                try
                {
                    presence = await asker.GetPresenceAsync(channel);
                }
                catch (RealtimeException ex)
                {
                    last = $"{channel}: {ex.Code} {ex.Message}";
                    return false;
                }
                var members = (presence.Members ?? []).Select(m => m.User).Order(StringComparer.Ordinal).ToList();
                if (!members.SequenceEqual(expected) || presence.Count != expected.Count || presence.Members!.Any(m => m.Connections != 1))
                {
                    last = $"{channel}: listed {presence.Count} [{string.Join(", ", presence.Members?.Select(m => $"{m.User}×{m.Connections}") ?? [])}], connected [{string.Join(", ", expected)}]";
                    return false;
                }
            }
            return true;
        }, s_presenceTimeout, $"presence to match the connected subscribers {when}", isTransient: ex => ex is RealtimeException,
            describe: () => Task.FromResult(last), pause: TimeSpan.FromMilliseconds(250));
        context.Note($"presence matched the {context.Subscribers.Count(s => s.IsConnected)} connected subscribers {when} ({(context.Clock.Elapsed - started).TotalSeconds:0.0} s after asking)");
    }
}
