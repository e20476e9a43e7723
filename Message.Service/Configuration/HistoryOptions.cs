using System.ComponentModel.DataAnnotations;

namespace RealtimeAspire.MessageService.Configuration;

/// <summary>Section <c>MessageService:History</c>: the history API's page sizes.</summary>
public sealed class HistoryOptions
{
    public const string SectionName = "MessageService:History";

    [Range(1, 100_000)] public int DefaultLimit { get; set; } = 100;

    [Range(1, 100_000)] public int MaxLimit { get; set; } = 1000;
}
