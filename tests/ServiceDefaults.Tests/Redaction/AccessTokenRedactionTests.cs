using RealtimeAspire.ServiceDefaults.Redaction;

namespace RealtimeAspire.ServiceDefaults.Tests.Redaction;

public sealed class AccessTokenRedactionTests
{
    private const string Jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";

    [Theory]
    [InlineData("?access_token=abc.def", "?access_token=[redacted]")]
    [InlineData("?access_token=abc&channels=chat:a,chat:b&cursor=chat:a@4", "?access_token=[redacted]&channels=chat:a,chat:b&cursor=chat:a@4")]
    [InlineData("?channels=chat:a&access_token=abc&cursor=x", "?channels=chat:a&access_token=[redacted]&cursor=x")]
    [InlineData("?channels=chat%3Aa&since=4&access_token=abc", "?channels=chat%3Aa&since=4&access_token=[redacted]")]
    [InlineData("?access_token=a%2Eb%3D%3D&x=1", "?access_token=[redacted]&x=1")]
    [InlineData("?ACCESS_TOKEN=abc", "?ACCESS_TOKEN=[redacted]")]
    [InlineData("?access%5Ftoken=abc&x=1", "?access%5Ftoken=[redacted]&x=1")]
    [InlineData("?access_token=abc#fragment", "?access_token=[redacted]#fragment")]
    [InlineData("http://127.0.0.1:5101/connect/sse?access_token=abc&channels=chat:a", "http://127.0.0.1:5101/connect/sse?access_token=[redacted]&channels=chat:a")]
    [InlineData("Request starting HTTP/1.1 GET http://edge/connect/poll?channels=a&access_token=abc - - -", "Request starting HTTP/1.1 GET http://edge/connect/poll?channels=a&access_token=[redacted] - - -")]
    [InlineData("Proxying to \"http://r/connect/sse?access_token=abc\" HTTP/1.1", "Proxying to \"http://r/connect/sse?access_token=[redacted]\" HTTP/1.1")]
    [InlineData("?access_token=a&access_token=b", "?access_token=[redacted]&access_token=[redacted]")]
    public void TheTokensValueIsReplacedAndTheRestOfTheQueryKept(string text, string expected) =>
        Assert.Equal(expected, AccessTokenRedaction.Redact(text));

    [Fact]
    public void AJwtAnywhereIsReplaced()
    {
        Assert.Equal("Authorization: Bearer [redacted]", AccessTokenRedaction.Redact($"Authorization: Bearer {Jwt}"));
        Assert.Equal("?access_token=[redacted]&x=1", AccessTokenRedaction.Redact($"?access_token={Jwt}&x=1"));
        Assert.Equal("token [redacted].", AccessTokenRedaction.Redact($"token {Jwt}."));
    }

    [Theory]
    [InlineData("?channels=chat:a&cursor=chat:a@4")]
    [InlineData("?access_token=")]
    [InlineData("?access_token=&channels=a")]
    [InlineData("Bearer was not authenticated. Failure message: IDX10223: Lifetime validation failed.")]
    [InlineData("")]
    public void TextWithoutATokenIsReturnedAsItIs(string text) =>
        Assert.Equal(text, AccessTokenRedaction.Redact(text));

    [Fact]
    public void TextWithoutAMarkerIsNotCopied()
    {
        var text = "GET /connect/sse?channels=chat:a 200";
        Assert.False(AccessTokenRedaction.MayContainToken(text));
        Assert.Same(text, AccessTokenRedaction.Redact(text));
    }
}
