using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using RealtimeAspire.EdgeProxy.Refusals;

namespace RealtimeAspire.EdgeProxy.Tests.Refusals;

/// <summary>The edge's own refusals as a client reads them: status, headers and the whole ProblemDetails body.</summary>
public sealed class EdgeRefusalTests
{
    [Fact]
    public async Task ACodedRefusalHasTheCodeAsTitleAndTypeAndNoRetryAfter()
    {
        var context = NewContext();

        await EdgeRefusal.WithCode(StatusCodes.Status413PayloadTooLarge, "request_too_large", "Over 4096 bytes.").WriteAsync(context);

        Assert.Equal(413, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("Retry-After"));
        Assert.Equal("application/problem+json", context.Response.ContentType);
        Assert.Equal("""{"type":"https://realtime-aspire.dev/errors/request_too_large","title":"request_too_large","status":413,"detail":"Over 4096 bytes.","traceId":"trace-1"}""", Body(context));
    }

    [Fact]
    public async Task ARetryableRefusalSendsRetryAfterAndNoTypeOfItsOwn()
    {
        var context = NewContext();

        await new EdgeRefusal(StatusCodes.Status429TooManyRequests, "Too many requests", "Rate limit for connect exceeded; retry after 3 s.") { RetryAfterSeconds = 3 }
            .WriteAsync(context);

        Assert.Equal(429, context.Response.StatusCode);
        Assert.Equal("3", context.Response.Headers.RetryAfter.ToString());
        Assert.Equal("""{"title":"Too many requests","status":429,"detail":"Rate limit for connect exceeded; retry after 3 s.","traceId":"trace-1"}""", Body(context));
    }

    private static DefaultHttpContext NewContext()
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        return new DefaultHttpContext
        {
            RequestServices = services,
            TraceIdentifier = "trace-1",
            Response = { Body = new MemoryStream() },
        };
    }

    private static string Body(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
}
