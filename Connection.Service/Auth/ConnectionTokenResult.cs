namespace RealtimeAspire.ConnectionService.Auth;

/// <summary>A connect request's token: the user, or why it was refused (<c>missing</c> or <c>invalid</c>, the metric's reason).</summary>
public sealed record ConnectionTokenResult(RealtimeUser? User, string? Failure)
{
    public static readonly ConnectionTokenResult Missing = new(null, "missing");
    public static readonly ConnectionTokenResult Invalid = new(null, "invalid");
}
