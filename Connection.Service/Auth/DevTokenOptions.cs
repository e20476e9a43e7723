namespace RealtimeAspire.ConnectionService.Auth;

/// <summary>Section <c>Auth</c>, beside the shared token settings: what only the development token endpoint needs.</summary>
public sealed class DevTokenOptions
{
    /// <summary>Lifetime of development tokens from <c>POST /api/dev/token</c>.</summary>
    public TimeSpan DevTokenLifetime { get; set; } = TimeSpan.FromHours(12);
}
