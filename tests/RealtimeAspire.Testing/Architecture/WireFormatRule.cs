using System.Reflection;
using System.Text.RegularExpressions;

namespace RealtimeAspire.Testing.Architecture;

/// <summary>
/// The wire message (the <c>message</c> frame, the fan-out header, the Kafka envelope) has one home:
/// <c>Contracts/Wire</c>. A type anywhere else that writes or parses it by hand shows in its compiled form:
/// <list type="bullet">
/// <item>it loads the names of the fields only a writer or reader of the whole message needs (<c>msgId</c>, <c>from</c> and
/// <c>ts</c>), as literals of their own or quoted inside longer ones;</item>
/// <item>it holds the fan-out header's layout as a literal (<c>" m\n"</c>, or the Lua <c>' m\n'</c>);</item>
/// <item>it hands <c>MessageEnvelope</c> to <c>JsonSerializer</c> itself.</item>
/// </list>
/// </summary>
public static partial class WireFormatRule
{
    public const string WireNamespace = "RealtimeAspire.Contracts.Wire";

    private const string Envelope = WireNamespace + ".MessageEnvelope";
    private const string Serializer = "System.Text.Json.JsonSerializer";
    private static readonly string[] s_messageFields = ["msgId", "from", "ts"];

    /// <summary>Every place of <paramref name="assembly"/> outside <see cref="WireNamespace"/> that writes or parses the wire message.</summary>
    public static IReadOnlyList<string> Violations(Assembly assembly) =>
        [.. AssemblyReferences.Read(assembly).Where(t => t.Namespace != WireNamespace).SelectMany(Violations).Order(StringComparer.Ordinal)];

    private static IEnumerable<string> Violations(TypeUse type)
    {
        if (s_messageFields.All(field => type.Strings.Any(s => s == field || s.Contains($"\"{field}\"", StringComparison.Ordinal))))
        {
            yield return $"{type.Type} names the message's fields ({string.Join(", ", s_messageFields)}): write and read it with MessageFrame or MessageEnvelopeWriter/MessageEnvelope";
        }
        foreach (var literal in type.Strings.Where(s => HeaderLayout().IsMatch(s)))
        {
            yield return $"{type.Type} writes the fan-out header's layout ({Regex.Escape(literal)}): use FanoutHeader";
        }
        if (type.References.Contains(Envelope) && type.References.Contains(Serializer))
        {
            yield return $"{type.Type} serialises MessageEnvelope itself: use MessageEnvelope.Read or MessageEnvelopeWriter";
        }
    }

    /// <summary>The end of the header as C# interpolation leaves it (<c>" m\n"</c>) or as Lua spells it (<c>' m\n'</c>).</summary>
    [GeneratedRegex(@"^ ?[mtpc]\n$|' [mtpc]\\n'")]
    private static partial Regex HeaderLayout();
}
