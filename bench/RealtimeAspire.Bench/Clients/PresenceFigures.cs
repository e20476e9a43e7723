using System.Text.Json;

namespace RealtimeAspire.Bench.Clients;

/// <summary>
/// What one presence frame says: <c>{"type":"presence","channel":…,"count":N,"joined":[{user,name}…],"left":[…]}</c>,
/// with <c>"summary":{"joined":k,"left":m}</c> (and empty lists) for a large channel. <see cref="Count"/> is -1 when the
/// frame has none (the protocol before summaries had no count). <see cref="Joined"/> and <see cref="Left"/> are the
/// users the lists name plus those a summary counts. Named users are counted, not read: each is skipped.
/// </summary>
internal readonly record struct PresenceFigures(long Count, int Joined, int Left, bool IsSummary)
{
    public static readonly PresenceFigures None = new(-1, 0, 0, false);

    /// <summary>
    /// At a property name of the frame's top-level object: reads <c>count</c>, <c>joined</c>, <c>left</c> or
    /// <c>summary</c> into <paramref name="figures"/> and returns true with the reader at the end of its value; false
    /// (reader untouched) for any other property.
    /// </summary>
    public static bool TryReadProperty(ref Utf8JsonReader reader, ref PresenceFigures figures)
    {
        if (reader.ValueTextEquals("count"u8))
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.Number)
            {
                figures = figures with { Count = reader.GetInt64() };
            }
            else
            {
                reader.Skip();
            }
            return true;
        }
        var joined = reader.ValueTextEquals("joined"u8);
        if (joined || reader.ValueTextEquals("left"u8))
        {
            reader.Read();
            var users = CountElements(ref reader);
            figures = joined ? figures with { Joined = figures.Joined + users } : figures with { Left = figures.Left + users };
            return true;
        }
        if (reader.ValueTextEquals("summary"u8))
        {
            reader.Read();
            figures = figures with { IsSummary = true };
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return true;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isJoined = reader.ValueTextEquals("joined"u8);
                var isLeft = !isJoined && reader.ValueTextEquals("left"u8);
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && (isJoined || isLeft))
                {
                    var n = reader.GetInt32();
                    figures = isJoined ? figures with { Joined = figures.Joined + n } : figures with { Left = figures.Left + n };
                }
                else
                {
                    reader.Skip();
                }
            }
            return true;
        }
        return false;
    }

    /// <summary>Elements of the array the reader is at (0 for anything else), leaving it at the array's end.</summary>
    private static int CountElements(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return 0;
        }
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            count++;
            reader.Skip();
        }
        return count;
    }
}
