using System.Text.Json;

namespace RealtimeAspire.Reliability.Tests.Hostile;

/// <summary>What a reference JSON parser reads from a fuzzed frame: the oracle the frame parser is held to.</summary>
public static class ReferenceJson
{
    /// <summary>
    /// The <c>id</c> whose answer the protocol promises: every request but a <c>typing</c> hint, which is answered only
    /// when refused (docs/protocol.md).
    /// </summary>
    public static long? AnsweredId(byte[] bytes) => IsTyping(bytes) ? null : Id(bytes);

    private static bool IsTyping(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.EnumerateObject().Any(p => p.NameEquals("type") && p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() == "typing");
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The frame's <c>id</c>: a well-formed object (within the frame parser's depth of 64) with exactly one integer <c>id</c>.</summary>
    public static long? Id(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var ids = document.RootElement.EnumerateObject().Where(p => p.NameEquals("id")).ToArray();
            return ids is [{ Value.ValueKind: JsonValueKind.Number } only] && only.Value.TryGetInt64(out var id) ? id : null;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }
}
