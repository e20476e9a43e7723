namespace RealtimeAspire.Client;

/// <summary>A refusal carrying the protocol's error code (<c>forbidden</c>, <c>rate_limited</c>, …) or one of <see cref="ClientErrorCodes"/>.</summary>
public sealed class RealtimeException : Exception
{
    public RealtimeException(string code, string message, int? statusCode = null, TimeSpan? retryAfter = null, Exception? inner = null)
        : base($"{code}: {message}", inner)
    {
        Code = code;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    public string Code { get; }

    /// <summary>The HTTP status, when the refusal came over HTTP.</summary>
    public int? StatusCode { get; }

    public TimeSpan? RetryAfter { get; }
}
