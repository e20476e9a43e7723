using System.Collections;

namespace RealtimeAspire.ServiceDefaults.Redaction;

/// <summary>A log event's state with every token taken out of its values and of its formatted message.</summary>
internal sealed class RedactedLogState : IReadOnlyList<KeyValuePair<string, object?>>
{
    public static readonly Func<RedactedLogState, Exception?, string> Format = static (state, _) => state.Message;

    private readonly KeyValuePair<string, object?>[] _values;

    private RedactedLogState(KeyValuePair<string, object?>[] values, string message)
    {
        _values = values;
        Message = message;
    }

    public string Message { get; }

    public int Count => _values.Length;

    public KeyValuePair<string, object?> this[int index] => _values[index];

    /// <summary>
    /// Whether the event may carry a token. Structured state (every <c>LoggerMessage</c>, ASP.NET Core's and YARP's
    /// events) is formatted from its values and its template (<c>{OriginalFormat}</c>, which is the whole text of an
    /// interpolated message), so only those are scanned; any other state is formatted and the text scanned.
    /// </summary>
    public static bool IsNeeded<TState>(TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            for (var i = 0; i < values.Count; i++)
            {
                if (TextOf(values[i].Value) is { } text && AccessTokenRedaction.MayContainToken(text))
                {
                    return true;
                }
            }
            return false;
        }
        return AccessTokenRedaction.MayContainToken(formatter(state, exception));
    }

    public static RedactedLogState Create<TState>(TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var message = AccessTokenRedaction.Redact(formatter(state, exception));
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            return new RedactedLogState([], message);
        }
        var redacted = new KeyValuePair<string, object?>[values.Count];
        for (var i = 0; i < redacted.Length; i++)
        {
            var (key, value) = values[i];
            redacted[i] = TextOf(value) is { } text && AccessTokenRedaction.MayContainToken(text)
                ? new(key, AccessTokenRedaction.Redact(text))
                : values[i];
        }
        return new RedactedLogState(redacted, message);
    }

    /// <summary>The text of a value that can hold a token: strings and other objects (a Uri, a PathString), not numbers.</summary>
    private static string? TextOf(object? value) => value switch
    {
        null => null,
        string text => text,
        IConvertible => null,
        TimeSpan or Guid or DateTimeOffset => null,
        _ => value.ToString(),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Message;
}
