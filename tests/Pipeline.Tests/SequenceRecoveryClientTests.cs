using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeAspire.ConnectionService.Diagnostics;
using RealtimeAspire.ConnectionService.History;
using RealtimeAspire.Contracts;
using StackExchange.Redis;

namespace RealtimeAspire.Pipeline.Tests;

/// <summary>Connection.Service's recovery client against the topology's real Redis and Message.Service.</summary>
[Collection(nameof(PipelineCollection))]
public sealed class SequenceRecoveryClientTests(PipelineFixture fixture)
{
    [Fact]
    public async Task ARecoveryThatFindsTheCounterAlreadySetClaimsNothing()
    {
        var channel = $"chat:recovered-meanwhile-{Guid.NewGuid():N}";
        var database = await fixture.RedisAsync();
        // Another recovery of this channel set the counter and ended before this one began.
        await database.StringSetAsync(RedisKeys.Sequence(channel), 7);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var messageService = new HttpClient { BaseAddress = fixture.Topology.Endpoint(PipelineFixture.MessageServiceName) };
        var redis = (await fixture.RedisServerAsync()).Multiplexer;
        var client = new SequenceRecoveryClient(messageService, redis, TimeProvider.System,
            new ConnectionMetrics(services.GetRequiredService<IMeterFactory>()), NullLogger<SequenceRecoveryClient>.Instance);

        await client.RecoverAsync(channel, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        // A claim writes the channel's row; a second claim of a known channel waits for max-seq instead of answering at once.
        Assert.Equal(0, await fixture.ScalarAsync("SELECT count(*) FROM channels WHERE channel = @prefix", channel));
        Assert.Equal(7, (long)await database.StringGetAsync(RedisKeys.Sequence(channel)));
    }
}
