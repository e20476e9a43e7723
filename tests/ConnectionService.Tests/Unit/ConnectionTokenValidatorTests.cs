using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.Contracts;
using RealtimeAspire.Integrations.Auth;

namespace RealtimeAspire.ConnectionService.Tests.Unit;

/// <summary>The WebSocket transport's own token check: the bearer scheme's rules, and only the user kept.</summary>
public sealed class ConnectionTokenValidatorTests : IDisposable
{
    private const string SigningKey = "a-signing-key-of-at-least-32-characters";
    private readonly IHost _host;
    private readonly ConnectionTokenValidator _validator;
    private readonly ChannelTokenIssuer _issuer;

    public ConnectionTokenValidatorTests()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration["Auth:SigningKey"] = SigningKey;
        builder.AddChannelAuthentication();
        builder.Services.AddSingleton<ConnectionTokenValidator>();
        _host = builder.Build();
        _validator = _host.Services.GetRequiredService<ConnectionTokenValidator>();
        _issuer = _host.Services.GetRequiredService<ChannelTokenIssuer>();
    }

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task ATokenInTheQueryGivesTheUserItsNameAndItsPatterns()
    {
        var token = _issuer.Issue("alice", "Alice A.", ["chat:*"], ["feed:news"], TimeSpan.FromMinutes(5));

        var result = await _validator.ValidateAsync(Request($"?access_token={token}"));

        Assert.Null(result.Failure);
        Assert.Equal("alice", result.User!.Id);
        Assert.Equal("Alice A.", result.User.Name);
        Assert.True(result.User.Permissions.CanSubscribe(ChannelName.Parse("chat:lobby")));
        Assert.False(result.User.Permissions.CanSubscribe(ChannelName.Parse("feed:news")));
        Assert.True(result.User.Permissions.CanPublish(ChannelName.Parse("feed:news")));
        Assert.False(result.User.Permissions.CanPublish(ChannelName.Parse("chat:lobby")));
    }

    [Fact]
    public async Task ATokenInTheAuthorizationHeaderIsAcceptedToo()
    {
        var token = _issuer.Issue("bob", null, [], [], TimeSpan.FromMinutes(5));
        var request = Request("");
        request.Headers.Authorization = $"Bearer {token}";

        var result = await _validator.ValidateAsync(request);

        Assert.Equal("bob", result.User!.Id);
        Assert.Equal("bob", result.User.Name);
    }

    [Fact]
    public async Task NoTokenIsMissingAndAForgedOneIsInvalid()
    {
        Assert.Same(ConnectionTokenResult.Missing, await _validator.ValidateAsync(Request("")));
        Assert.Same(ConnectionTokenResult.Invalid, await _validator.ValidateAsync(Request("?access_token=not.a.token")));

        var token = _issuer.Issue("mallory", null, ["*"], ["*"], TimeSpan.FromMinutes(5));
        Assert.Same(ConnectionTokenResult.Invalid, await _validator.ValidateAsync(Request($"?access_token={token[..^4]}AAAA")));
    }

    [Fact]
    public async Task AnExpiredTokenOrOneSignedWithAnotherKeyIsInvalid()
    {
        var settings = _host.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromHours(2));
        var expired = new ChannelTokenIssuer(Options.Create(settings), past).Issue("carol", null, [], [], TimeSpan.FromHours(1));
        var otherKey = new AuthOptions { SigningKey = "another-signing-key-of-32-characters-or-more", Issuer = settings.Issuer, Audience = settings.Audience };
        var foreign = new ChannelTokenIssuer(Options.Create(otherKey), TimeProvider.System).Issue("carol", null, [], [], TimeSpan.FromHours(1));

        Assert.Same(ConnectionTokenResult.Invalid, await _validator.ValidateAsync(Request($"?access_token={expired}")));
        Assert.Same(ConnectionTokenResult.Invalid, await _validator.ValidateAsync(Request($"?access_token={foreign}")));
    }

    private static HttpRequest Request(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = "/connect/ws";
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        return context.Request;
    }
}
