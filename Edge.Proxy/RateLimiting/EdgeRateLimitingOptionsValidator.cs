using Microsoft.Extensions.Options;

namespace RealtimeAspire.EdgeProxy.RateLimiting;

/// <summary>Reports every invalid rate-limit setting at start-up, each by its configuration key.</summary>
public sealed class EdgeRateLimitingOptionsValidator : IValidateOptions<EdgeRateLimitingOptions>
{
    public const int MaxQueueLimit = 10_000;
    public const int MaxPermits = 1_000_000;

    public ValidateOptionsResult Validate(string? name, EdgeRateLimitingOptions options)
    {
        var errors = new List<string>();
        if (options.QueueLimit is < 0 or > MaxQueueLimit)
        {
            errors.Add($"{EdgeRateLimitingOptions.SectionName}:{nameof(options.QueueLimit)} must be between 0 and {MaxQueueLimit} (was {options.QueueLimit}).");
        }
        Check(errors, nameof(options.Connect), options.Connect);
        Check(errors, nameof(options.Publish), options.Publish);
        Check(errors, nameof(options.Poll), options.Poll);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(List<string> errors, string traffic, TrafficRateLimits? limits)
    {
        var prefix = $"{EdgeRateLimitingOptions.SectionName}:{traffic}";
        if (limits is null)
        {
            errors.Add($"{prefix} is missing.");
            return;
        }
        Check(errors, $"{prefix}:{nameof(limits.PerUser)}", limits.PerUser);
        Check(errors, $"{prefix}:{nameof(limits.PerIp)}", limits.PerIp);
        Check(errors, $"{prefix}:{nameof(limits.Global)}", limits.Global);
    }

    private static void Check(List<string> errors, string key, TokenBucketRule? rule)
    {
        if (rule is null)
        {
            errors.Add($"{key} is missing.");
            return;
        }
        if (rule.PermitsPerSecond is < 1 or > MaxPermits)
        {
            errors.Add($"{key}:{nameof(rule.PermitsPerSecond)} must be between 1 and {MaxPermits} (was {rule.PermitsPerSecond}).");
        }
        if (rule.Burst is < 1 or > MaxPermits)
        {
            errors.Add($"{key}:{nameof(rule.Burst)} must be between 1 and {MaxPermits} (was {rule.Burst}).");
        }
    }
}
