using System.Globalization;

namespace RealtimeAspire.EdgeProxy.Refusals;

/// <summary>
/// A request the edge answers itself instead of forwarding it (an origin it does not allow, a body over its limit, a
/// rate limit): the status, <c>Retry-After</c> when the client may come back, and a ProblemDetails body written by
/// the application's <see cref="IProblemDetailsService"/>, so every refusal carries what the service defaults add to
/// a problem.
/// </summary>
/// <param name="Status">The HTTP status, also the problem's <c>status</c>.</param>
/// <param name="Title">The problem's <c>title</c>.</param>
/// <param name="Detail">The problem's <c>detail</c>: what was refused and which setting decides it.</param>
public readonly record struct EdgeRefusal(int Status, string Title, string Detail)
{
    /// <summary>Where an error code's <c>type</c> points (docs/protocol.md), as the services answer it.</summary>
    public const string ErrorTypePrefix = "https://realtime-aspire.dev/errors/";

    /// <summary>The problem's <c>type</c>; without one, ASP.NET Core's default for the status where it has one (none for 429).</summary>
    public string? Type { get; init; }

    /// <summary>Whole seconds after which the client may try again, sent as <c>Retry-After</c>.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>A refusal with an error code: the code is the title and the end of the type, as the replicas answer theirs.</summary>
    public static EdgeRefusal WithCode(int status, string code, string detail) =>
        new(status, code, detail) { Type = ErrorTypePrefix + code };

    /// <summary>Sets the status (and <c>Retry-After</c>) and writes the problem, before anything of the response has been sent.</summary>
    public ValueTask<bool> WriteAsync(HttpContext context)
    {
        context.Response.StatusCode = Status;
        if (RetryAfterSeconds is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        }
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = Status, Title = Title, Detail = Detail, Type = Type },
        });
    }
}
