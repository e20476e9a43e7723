using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RealtimeAspire.PresenceService.Configuration;
using RealtimeAspire.PresenceService.Store;

namespace RealtimeAspire.PresenceService.Tests.Store;

/// <summary>
/// The one test suite every <see cref="IPresenceStore"/> passes: transitions, counts, refresh, leases, expiry,
/// user status. Time is a <see cref="FakeTimeProvider"/>; each test gets a fresh, empty store.
/// </summary>
public abstract class PresenceStoreContract
{
    protected static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    protected static IOptions<PresenceOptions> Options(string prefix = "rt:{presence}:") =>
        Microsoft.Extensions.Options.Options.Create(new PresenceOptions { ReplicaTtl = Ttl, KeyPrefix = prefix });

    /// <summary>A fresh store (empty state) on <see cref="Time"/>.</summary>
    protected abstract IPresenceStore Store { get; }

    /// <summary>A second store over the same state: another Presence.Service instance.</summary>
    protected abstract IPresenceStore Peer { get; }

    private static PresenceChange Join(string connection, string channel, string user, string? name = null) =>
        new(true, new PresenceEntry(connection, channel, user, name ?? user.ToUpperInvariant()));

    private static PresenceChange Leave(string connection, string channel, string user) =>
        new(false, new PresenceEntry(connection, channel, user, user));

    [Fact]
    public async Task OnlyAUsersFirstConnectionJoinsWhateverTheReplica()
    {
        var update = await Store.ApplyAsync("r1", [Join("c1", "chat:a", "alice"), Join("c2", "chat:a", "alice")], default);
        var transition = Assert.Single(update.Transitions);
        Assert.Equal(new PresenceTransition("chat:a", "alice", "ALICE", Joined: true), transition);
        Assert.Equal([1L, 2L], update.ConnectionCounts);

        Assert.Empty((await Store.ApplyAsync("r2", [Join("c3", "chat:a", "alice")], default)).Transitions);
        var member = Assert.Single(await Store.MembersAsync("chat:a", 100, default));
        Assert.Equal(new ChannelMember("alice", "ALICE", 3, Time.GetUtcNow()), member);
        Assert.Equal(1, await Store.CountAsync("chat:a", default));
    }

    [Fact]
    public async Task OnlyTheLastConnectionLeaves()
    {
        await Store.ApplyAsync("r1", [Join("c1", "chat:a", "alice"), Join("c2", "chat:a", "alice")], default);
        await Store.ApplyAsync("r2", [Join("c3", "chat:a", "alice")], default);

        Assert.Empty((await Store.ApplyAsync("r1", [Leave("c1", "chat:a", "alice"), Leave("c2", "chat:a", "alice")], default)).Transitions);
        var last = await Store.ApplyAsync("r2", [Leave("c3", "chat:a", "alice")], default);

        Assert.Equal(new PresenceTransition("chat:a", "alice", "ALICE", Joined: false), Assert.Single(last.Transitions));
        Assert.Equal(0, await Store.CountAsync("chat:a", default));
        Assert.Empty(await Store.MembersAsync("chat:a", 100, default));
    }

    [Fact]
    public async Task RepeatedJoinsAndUnknownLeavesChangeNothing()
    {
        await Store.ApplyAsync("r1", [Join("c1", "chat:a", "alice")], default);
        var again = await Store.ApplyAsync("r1", [Join("c1", "chat:a", "alice"), Leave("c9", "chat:a", "alice"), Leave("c1", "chat:b", "alice")], default);

        Assert.Empty(again.Transitions);
        Assert.Equal(1, Assert.Single(await Store.MembersAsync("chat:a", 100, default)).Connections);
    }

    [Fact]
    public async Task AJoinAndLeaveInOneReportAreBothReported()
    {
        var update = await Store.ApplyAsync("r1", [Join("c1", "chat:a", "alice"), Leave("c1", "chat:a", "alice")], default);

        Assert.Equal([true, false], update.Transitions.Select(t => t.Joined));
        Assert.Equal(0, await Store.CountAsync("chat:a", default));
    }

    [Fact]
    public async Task ARefreshAddsWhatIsMissingAndRemovesWhatIsGone()
    {
        await Store.ApplyAsync("r1", [Join("c1", "chat:a", "alice"), Join("c9", "chat:a", "carol")], default);
        await Store.ApplyAsync("r2", [Join("c5", "chat:a", "dave")], default);

        var refresh = await Store.RefreshAsync("r1", [new PresenceEntry("c1", "chat:a", "alice", "ALICE"), new PresenceEntry("c2", "chat:a", "bob", "BOB")], default);

        Assert.Equal(
            [new PresenceTransition("chat:a", "bob", "BOB", true), new PresenceTransition("chat:a", "carol", "CAROL", false)],
            refresh.Transitions.OrderBy(t => t.User, StringComparer.Ordinal));
        Assert.Equal(["alice", "bob", "dave"], (await Store.MembersAsync("chat:a", 100, default)).Select(m => m.User).Order(StringComparer.Ordinal));
        Assert.Empty((await Store.RefreshAsync("r1", [new PresenceEntry("c1", "chat:a", "alice", "ALICE"), new PresenceEntry("c2", "chat:a", "bob", "BOB")], default)).Transitions);
    }

    [Fact]
    public async Task AReplicaWhoseLeaseLapsedExpiresOnceAndOtherReplicasAreUntouched()
    {
        await Store.ApplyAsync("r1", [Join("c1", "chat:a", "alice"), Join("c2", "chat:b", "alice"), Join("c3", "chat:a", "bob")], default);
        await Store.ApplyAsync("r2", [Join("c4", "chat:a", "bob"), Join("c5", "chat:a", "carol")], default);
        Time.Advance(Ttl / 2);
        await Store.RefreshAsync("r2", [new PresenceEntry("c4", "chat:a", "bob", "BOB"), new PresenceEntry("c5", "chat:a", "carol", "CAROL")], default);
        Assert.Empty(await Store.LapsedReplicasAsync(default));

        Time.Advance(Ttl / 2 + TimeSpan.FromMilliseconds(1));
        Assert.Equal(["r1"], await Store.LapsedReplicasAsync(default));
        var expired = await Store.ExpireAsync("r1", default);

        Assert.Equal(
            [new PresenceTransition("chat:a", "alice", "ALICE", false), new PresenceTransition("chat:b", "alice", "ALICE", false)],
            expired.Transitions.OrderBy(t => t.Channel, StringComparer.Ordinal));
        Assert.Empty((await Store.ExpireAsync("r1", default)).Transitions);
        Assert.Empty(await Store.LapsedReplicasAsync(default));
        var members = await Store.MembersAsync("chat:a", 100, default);
        Assert.Equal(["bob", "carol"], members.Select(m => m.User).Order(StringComparer.Ordinal));
        Assert.Equal(1, members.Single(m => m.User == "bob").Connections);
        Assert.False((await Store.UserAsync("alice", default)).Online);
    }

    [Fact]
    public async Task ALeaseRenewedBeforeTheExpiryRunsIsNotExpired()
    {
        await Store.ApplyAsync("r1", [Join("c1", "chat:a", "alice")], default);
        Time.Advance(Ttl + TimeSpan.FromSeconds(1));
        Assert.Equal(["r1"], await Store.LapsedReplicasAsync(default));

        await Store.ApplyAsync("r1", [], default);

        Assert.Empty((await Store.ExpireAsync("r1", default)).Transitions);
        Assert.Equal(1, await Store.CountAsync("chat:a", default));
    }

    [Fact]
    public async Task TwoInstancesExpiringTheSameReplicaReportEachLeaveOnce()
    {
        await Store.ApplyAsync("r1", [.. Enumerable.Range(0, 50).Select(i => Join($"c{i}", "chat:a", $"user{i}"))], default);
        Time.Advance(Ttl + TimeSpan.FromSeconds(1));

        var both = await Task.WhenAll(Store.ExpireAsync("r1", default), Peer.ExpireAsync("r1", default));

        Assert.Equal(50, both.Sum(u => u.Transitions.Count));
        Assert.Equal(0, await Peer.CountAsync("chat:a", default));
    }

    [Fact]
    public async Task AReleasedReplicasMembersLeaveAtOnce()
    {
        await Store.ApplyAsync("r1", [Join("c1", "chat:a", "alice"), Join("c2", "chat:a", "bob")], default);
        await Store.ApplyAsync("r2", [Join("c3", "chat:a", "bob")], default);

        var released = await Store.ReleaseAsync("r1", default);

        Assert.Equal(new PresenceTransition("chat:a", "alice", "ALICE", false), Assert.Single(released.Transitions));
        Assert.Empty(await Store.LapsedReplicasAsync(default));
        Assert.Equal(["bob"], (await Store.MembersAsync("chat:a", 100, default)).Select(m => m.User));
    }

    [Fact]
    public async Task AUsersStatusHasTheirChannelsAndTheLastTimeTheyWereSeen()
    {
        var never = await Store.UserAsync("alice", default);
        Assert.False(never.Online);
        Assert.Empty(never.Channels);
        Assert.Null(never.LastSeen);
        await Store.ApplyAsync("r1", [Join("c1", "chat:a", "alice"), Join("c1", "chat:b", "alice"), Join("c2", "chat:a", "bob")], default);
        Assert.Equal(2, await Store.OnlineUsersAsync(default));
        var online = await Store.UserAsync("alice", default);
        Assert.True(online.Online);
        Assert.Equal(["chat:a", "chat:b"], online.Channels.Order(StringComparer.Ordinal));

        Time.Advance(TimeSpan.FromMinutes(5));
        var leftAt = Time.GetUtcNow();
        await Store.ApplyAsync("r1", [Leave("c1", "chat:a", "alice"), Leave("c1", "chat:b", "alice")], default);
        Time.Advance(TimeSpan.FromMinutes(5));

        var offline = await Store.UserAsync("alice", default);
        Assert.False(offline.Online);
        Assert.Empty(offline.Channels);
        Assert.Equal(leftAt, offline.LastSeen);
        Assert.Equal(1, await Store.OnlineUsersAsync(default));
    }

    [Fact]
    public async Task EveryReportSaysHowLongAgoTheReplicasPreviousOneWas()
    {
        Assert.Null((await Store.ApplyAsync("r1", [], default)).SincePreviousReport);
        Time.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(TimeSpan.FromSeconds(7), (await Store.RefreshAsync("r1", [], default)).SincePreviousReport);
    }

    [Fact]
    public async Task ABigChannelIsCountedWithoutListingAndListedUpToTheLimit()
    {
        await Store.ApplyAsync("r1", [.. Enumerable.Range(0, 5000).Select(i => Join($"c{i}", "chat:big", $"user{i}"))], default);

        Assert.Equal(5000, await Store.CountAsync("chat:big", default));
        var page = await Store.MembersAsync("chat:big", 100, default);
        Assert.Equal(100, page.Count);
        Assert.Equal(100, page.Select(m => m.User).Distinct().Count());
    }
}
