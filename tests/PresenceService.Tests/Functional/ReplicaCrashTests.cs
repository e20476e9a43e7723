using System.Diagnostics;
using System.Text.Json;
using RealtimeAspire.ConnectionService.Tests.Clients;
using Xunit.Abstractions;
using static RealtimeAspire.PresenceService.Tests.Functional.PresenceFrames;

namespace RealtimeAspire.PresenceService.Tests.Functional;

[Collection(nameof(PresenceCrash))]
public sealed class ReplicaCrashTests(CrashPresenceTopology crash, ITestOutputHelper output)
{
    private const int Doomed = 50;
    private const int Survivors = 5;

    [Fact]
    public async Task TheMembersOfAKilledReplicaLeaveWithinItsTtlAndOtherReplicasMembersStay()
    {
        var channel = $"chat:crash-{Guid.NewGuid():N}";
        var watcher = $"watcher-{Guid.NewGuid():N}";
        await using var observer = await RealtimeSocket.ConnectAsync(crash.Replica(0), PresenceTopology.Token(watcher));
        await observer.SubscribeAsync(channel);
        using var api = new PresenceApiClient(crash.Presence, PresenceTopology.Token(watcher));

        var doomed = Enumerable.Range(0, Doomed).Select(i => $"doomed-{i}-{Guid.NewGuid():N}").ToArray();
        var survivors = Enumerable.Range(0, Survivors).Select(i => $"survivor-{i}-{Guid.NewGuid():N}").ToArray();
        using var joining = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var doomedMembers = await Task.WhenAll(doomed.Select(u => StormMember.JoinAsync(crash.Replica(1), PresenceTopology.Token(u), channel, joining.Token)));
        var survivorMembers = await Task.WhenAll(survivors.Select(u => StormMember.JoinAsync(crash.Replica(0), PresenceTopology.Token(u), channel, joining.Token)));
        try
        {
            await api.WaitForChannelAsync(channel, p => p.GetProperty("count").GetInt64() == 1 + Doomed + Survivors);

            // Kept down: the members' departure must come from the lease expiring, not race the replica's return.
            using var keptDown = crash.Topology.RestartOnFailure!.Hold("connection-service-1");
            crash.Topology.Kill("connection-service-1");
            var killed = Stopwatch.StartNew();

            var left = new HashSet<string>(StringComparer.Ordinal);
            var leftOthers = new List<string>();
            var deadline = PresenceTopology.ReplicaTtl + TimeSpan.FromSeconds(5);
            while (left.Count < Doomed)
            {
                var remaining = deadline - killed.Elapsed;
                JsonElement frame;
                try
                {
                    frame = await observer.NextAsync(f => IsPresence(f, channel) && Left(f).Length > 0, remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1));
                }
                catch (TimeoutException)
                {
                    throw new TimeoutException($"{left.Count} of {Doomed} members of the killed replica left within {deadline.TotalSeconds} s.");
                }
                foreach (var user in Left(frame))
                {
                    if (doomed.Contains(user))
                    {
                        left.Add(user);
                    }
                    else
                    {
                        leftOthers.Add(user);
                    }
                }
            }
            output.WriteLine($"all {Doomed} members of the killed replica left {killed.Elapsed.TotalMilliseconds:0} ms after the kill (TTL {PresenceTopology.ReplicaTtl.TotalSeconds} s)");
            Assert.Empty(leftOthers);
            Assert.True(killed.Elapsed <= deadline);

            var presence = await api.WaitForChannelAsync(channel, p => p.GetProperty("count").GetInt64() == 1 + Survivors);
            Assert.Equal([.. survivors.Append(watcher).Order()],
                presence.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("user").GetString()!).Order());
            Assert.False((await api.UserAsync(doomed[0])).GetProperty("online").GetBoolean());
            Assert.True((await api.UserAsync(survivors[0])).GetProperty("online").GetBoolean());
        }
        finally
        {
            foreach (var member in doomedMembers.Concat(survivorMembers))
            {
                await member.DisposeAsync();
            }
        }
    }
}
