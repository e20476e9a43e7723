using System.Security.Cryptography;
using RealtimeAspire.EdgeProxy.Affinity;

namespace RealtimeAspire.EdgeProxy.Tests.Affinity;

public sealed class AffinityKeyProtectorTests
{
    private static readonly string[] Replicas = ["connection-service-0", "connection-service-1", "connection-service-2"];
    private readonly AffinityKeyProtector _protector = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void ProtectedKeyUnprotectsToTheSameReplica()
    {
        foreach (var replica in Replicas)
        {
            var key = _protector.Protect("connection-service", replica);

            Assert.True(_protector.TryUnprotect(key, "connection-service", Replicas, out var found));
            Assert.Equal(replica, found);
        }
    }

    [Fact]
    public void KeyIsOpaqueWellFormedAndStable()
    {
        var key = _protector.Protect("connection-service", "connection-service-1");

        Assert.True(AffinityKeyProtector.IsWellFormed(key));
        Assert.Equal(AffinityKeyProtector.KeyLength, key.Length);
        Assert.DoesNotContain("connection", key, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("127.0.0.1", key, StringComparison.Ordinal);
        Assert.Equal(key, _protector.Protect("connection-service", "connection-service-1"));
        Assert.Equal(3, Replicas.Select(r => _protector.Protect("connection-service", r)).Distinct().Count());
    }

    [Fact]
    public void EdgesSharingTheSecretAgreeAndOthersDoNot()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var key = new AffinityKeyProtector(secret).Protect("connection-service", "connection-service-2");

        Assert.True(new AffinityKeyProtector(secret).TryUnprotect(key, "connection-service", Replicas, out var found));
        Assert.Equal("connection-service-2", found);
        Assert.False(_protector.TryUnprotect(key, "connection-service", Replicas, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("connection-service-1")]
    [InlineData("a1.AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("a1.!!!!!!!!!!!!!!!!!!!!!!")]
    public void ForgedOrMalformedKeysResolveToNothing(string key)
    {
        Assert.False(_protector.TryUnprotect(key, "connection-service", Replicas, out _));
    }

    [Fact]
    public void TamperedKeyResolvesToNothing()
    {
        var key = _protector.Protect("connection-service", "connection-service-0");
        var tampered = key[..^1] + (key[^1] == 'A' ? 'B' : 'A');

        Assert.True(AffinityKeyProtector.IsWellFormed(tampered));
        Assert.False(_protector.TryUnprotect(tampered, "connection-service", Replicas, out _));
    }

    [Fact]
    public void KeyOfOneClusterDoesNotRouteInAnother()
    {
        var key = _protector.Protect("connection-service", "connection-service-0");

        Assert.False(_protector.TryUnprotect(key, "other-service", ["connection-service-0"], out _));
    }

    [Fact]
    public void ShortSecretIsRefused()
    {
        Assert.Throws<ArgumentException>(() => new AffinityKeyProtector(new byte[16]));
    }
}
