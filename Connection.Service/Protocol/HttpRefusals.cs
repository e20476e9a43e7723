using Microsoft.AspNetCore.Http.HttpResults;
using RealtimeAspire.ConnectionService.Diagnostics;

namespace RealtimeAspire.ConnectionService.Protocol;

/// <summary>
/// The HTTP form of an error code (docs/protocol.md): ProblemDetails with the code as title and type suffix, and the
/// code's status. The publish and typing APIs and the SSE and long-poll admissions answer refusals with it.
/// </summary>
public sealed class HttpRefusals(ConnectionMetrics metrics)
{
    /// <summary>An HTTP API's refusal: counted as a refused frame, answered as ProblemDetails with the code's status.</summary>
    public ProblemHttpResult Refuse(string code, string message)
    {
        metrics.FrameRefused(code);
        return Problem(code, message, StatusFor(code));
    }

    public static int StatusFor(string code) => code switch
    {
        ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCodes.UnknownNamespace => StatusCodes.Status404NotFound,
        ErrorCodes.MessageTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.RateLimited or ErrorCodes.TooManyConnections => StatusCodes.Status429TooManyRequests,
        ErrorCodes.HistoryUnavailable or ErrorCodes.PublishFailed or ErrorCodes.Draining => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    public static ProblemHttpResult Problem(string code, string detail, int status) =>
        TypedResults.Problem(detail, statusCode: status, title: code, type: $"https://realtime-aspire.dev/errors/{code}");
}
