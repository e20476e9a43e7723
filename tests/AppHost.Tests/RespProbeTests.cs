using RealtimeAspire.AppHost.LocalInfrastructure;

namespace RealtimeAspire.AppHost.Tests;

public sealed class RespProbeTests
{
    [Theory]
    [InlineData("127.0.0.1:6380,password=secret", "127.0.0.1", 6380, "secret")]
    [InlineData("cache.internal:6379", "cache.internal", 6379, null)]
    [InlineData("localhost", "localhost", 6379, null)]
    [InlineData("10.0.0.1:7000, ssl=true , Password=a=b", "10.0.0.1", 7000, "a=b")]
    public void ParsesStackExchangeRedisConnectionStrings(string connectionString, string host, int port, string? password)
    {
        Assert.Equal((host, port, password), RespProbe.Parse(connectionString));
    }
}
