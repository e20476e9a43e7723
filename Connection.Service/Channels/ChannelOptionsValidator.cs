using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace RealtimeAspire.ConnectionService.Channels;

/// <summary>Reports every invalid namespace setting at start-up, naming the key to fix.</summary>
public sealed partial class ChannelOptionsValidator : IValidateOptions<ChannelOptions>
{
    public ValidateOptionsResult Validate(string? name, ChannelOptions options)
    {
        var errors = new List<string>();
        if (options.Namespaces.Count == 0)
        {
            errors.Add($"{ChannelOptions.SectionName}:Namespaces is empty: configure at least one namespace.");
        }
        foreach (var (ns, settings) in options.Namespaces)
        {
            var key = $"{ChannelOptions.SectionName}:Namespaces:{ns}";
            if (!NamespacePattern().IsMatch(ns))
            {
                errors.Add($"{key}: a namespace is 1-32 of a-z, 0-9, '_' and '-', starting with a letter.");
            }
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true))
            {
                errors.AddRange(results.Select(r => $"{key}:{string.Join(',', r.MemberNames)}: {r.ErrorMessage}"));
            }
            if (settings.HistoryTtl <= TimeSpan.Zero)
            {
                errors.Add($"{key}:HistoryTtl must be positive.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,31}$")]
    private static partial Regex NamespacePattern();
}
