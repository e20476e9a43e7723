using Microsoft.Extensions.Options;

namespace RealtimeAspire.ConnectionService.History;

/// <summary>
/// Section <c>Sequence:ClaimBatch</c>: how one replica coalesces the claims of channels found without a counter into
/// one <c>POST /internal/channels/claims</c> (one statement, one commit at Message.Service).
/// </summary>
public sealed class ClaimBatchOptions
{
    public const string SectionName = "Sequence:ClaimBatch";

    /// <summary>How long the first claim of a batch waits for others to join it. 0: each claim is sent as it comes, with the ones queued at that moment.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>The most channels one request names; a full batch is sent at once. At most Message.Service's <c>MessageService:SequenceRecovery:MaxClaimBatch</c>.</summary>
    public int MaxChannels { get; set; } = 128;
}

/// <summary>Validates <see cref="ClaimBatchOptions"/> at start-up, naming the configuration key.</summary>
public sealed class ClaimBatchOptionsValidator : IValidateOptions<ClaimBatchOptions>
{
    public static readonly TimeSpan MaxWindow = TimeSpan.FromSeconds(1);
    public const int MaxChannelsLimit = 10_000;

    public ValidateOptionsResult Validate(string? name, ClaimBatchOptions options)
    {
        var errors = new List<string>();
        if (options.Window < TimeSpan.Zero || options.Window > MaxWindow)
        {
            errors.Add($"{ClaimBatchOptions.SectionName}:Window must be between 00:00:00 and {MaxWindow}, got {options.Window}.");
        }
        if (options.MaxChannels is < 1 or > MaxChannelsLimit)
        {
            errors.Add($"{ClaimBatchOptions.SectionName}:MaxChannels must be between 1 and {MaxChannelsLimit}, got {options.MaxChannels}.");
        }
        return errors.Count > 0 ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
