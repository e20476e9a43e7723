using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace RealtimeAspire.Testing.Architecture;

/// <summary>What one type of an assembly uses: the types it names and the string literals it loads.</summary>
/// <param name="Type">Full name of a top-level type; nested types (lambdas, state machines) are folded into it.</param>
/// <param name="Namespace">The namespace of <paramref name="Type"/>.</param>
/// <param name="References">Full names of every type it names: base type, interfaces, field, property and method
/// signatures, locals, and every type, method and field token in its method bodies (so uses inside code count too).</param>
/// <param name="Strings">Every <c>ldstr</c> operand of its method bodies.</param>
public sealed record TypeUse(string Type, string Namespace, IReadOnlySet<string> References, IReadOnlySet<string> Strings);

/// <summary>
/// Reads an assembly's metadata and IL with <see cref="System.Reflection.Metadata"/> (nothing is loaded or run), for
/// architecture rules: which type references which, which literals it holds.
/// </summary>
public static class AssemblyReferences
{
    private static readonly Dictionary<short, OpCode> s_opCodes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static IReadOnlyList<TypeUse> Read(Assembly assembly) => Read(assembly.Location);

    public static IReadOnlyList<TypeUse> Read(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var md = pe.GetMetadataReader();
        var names = new Names(md);
        var uses = new Dictionary<TypeDefinitionHandle, (HashSet<string> Refs, HashSet<string> Strings)>();
        foreach (var handle in md.TypeDefinitions)
        {
            var outer = Outermost(md, handle);
            if (!uses.TryGetValue(outer, out var use))
            {
                uses[outer] = use = ([], []);
            }
            Collect(pe, md, names, md.GetTypeDefinition(handle), use.Refs, use.Strings);
        }
        return [.. uses.Select(u => new TypeUse(names.Of(u.Key), md.GetString(md.GetTypeDefinition(u.Key).Namespace), u.Value.Refs, u.Value.Strings))];
    }

    private static TypeDefinitionHandle Outermost(MetadataReader md, TypeDefinitionHandle handle)
    {
        while (md.GetTypeDefinition(handle).GetDeclaringType() is { IsNil: false } declaring)
        {
            handle = declaring;
        }
        return handle;
    }

    private static void Collect(PEReader pe, MetadataReader md, Names names, TypeDefinition type, HashSet<string> refs, HashSet<string> strings)
    {
        if (!type.BaseType.IsNil)
        {
            refs.UnionWith(names.Of(type.BaseType));
        }
        foreach (var implementation in type.GetInterfaceImplementations())
        {
            refs.UnionWith(names.Of(md.GetInterfaceImplementation(implementation).Interface));
        }
        foreach (var field in type.GetFields())
        {
            refs.UnionWith(md.GetFieldDefinition(field).DecodeSignature(names, null));
        }
        foreach (var property in type.GetProperties())
        {
            var signature = md.GetPropertyDefinition(property).DecodeSignature(names, null);
            refs.UnionWith(signature.ReturnType);
            refs.UnionWith(signature.ParameterTypes.SelectMany(p => p));
        }
        foreach (var handle in type.GetMethods())
        {
            var method = md.GetMethodDefinition(handle);
            var signature = method.DecodeSignature(names, null);
            refs.UnionWith(signature.ReturnType);
            refs.UnionWith(signature.ParameterTypes.SelectMany(p => p));
            if (method.RelativeVirtualAddress == 0)
            {
                continue;
            }
            var body = pe.GetMethodBody(method.RelativeVirtualAddress);
            if (!body.LocalSignature.IsNil)
            {
                refs.UnionWith(md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(names, null).SelectMany(l => l));
            }
            ScanIl(md, names, body.GetILBytes() ?? [], refs, strings);
        }
    }

    private static void ScanIl(MetadataReader md, Names names, byte[] il, HashSet<string> refs, HashSet<string> strings)
    {
        var at = 0;
        while (at < il.Length)
        {
            short value = il[at++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[at++]);
            }
            var opCode = s_opCodes[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    at += 1;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    at += 8;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                case OperandType.InlineString:
                    strings.Add(md.GetUserString(MetadataTokens.UserStringHandle(BitConverter.ToInt32(il, at) & 0xFFFFFF)));
                    at += 4;
                    break;
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    refs.UnionWith(names.Of(MetadataTokens.EntityHandle(BitConverter.ToInt32(il, at))));
                    at += 4;
                    break;
                default:
                    // InlineBrTarget, InlineI, InlineSig, ShortInlineR: four bytes that name no type.
                    at += 4;
                    break;
            }
        }
    }

    /// <summary>Type names of handles and signatures: every type a handle or signature mentions, generic arguments included.</summary>
    private sealed class Names(MetadataReader md) : ISignatureTypeProvider<ImmutableArray<string>, object?>
    {
        public string Of(TypeDefinitionHandle handle)
        {
            var type = md.GetTypeDefinition(handle);
            var declaring = type.GetDeclaringType();
            return declaring.IsNil ? Join(md.GetString(type.Namespace), md.GetString(type.Name)) : $"{Of(declaring)}+{md.GetString(type.Name)}";
        }

        public ImmutableArray<string> Of(EntityHandle handle) => handle.Kind switch
        {
            HandleKind.TypeDefinition => [Of((TypeDefinitionHandle)handle)],
            HandleKind.TypeReference => [OfReference((TypeReferenceHandle)handle)],
            HandleKind.TypeSpecification => md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null),
            HandleKind.MethodDefinition => [Of(md.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType())],
            HandleKind.FieldDefinition => [Of(md.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType())],
            HandleKind.MemberReference => OfMember(md.GetMemberReference((MemberReferenceHandle)handle)),
            HandleKind.MethodSpecification => OfMethodSpecification(md.GetMethodSpecification((MethodSpecificationHandle)handle)),
            _ => [],
        };

        private ImmutableArray<string> OfMember(MemberReference member)
        {
            var parent = member.Parent.Kind is HandleKind.ModuleReference ? [] : Of(member.Parent);
            if (member.GetKind() == MemberReferenceKind.Field)
            {
                return parent.AddRange(member.DecodeFieldSignature(this, null));
            }
            var signature = member.DecodeMethodSignature(this, null);
            return parent.AddRange(signature.ReturnType).AddRange(signature.ParameterTypes.SelectMany(p => p));
        }

        private ImmutableArray<string> OfMethodSpecification(MethodSpecification specification) =>
            Of(specification.Method).AddRange(specification.DecodeSignature(this, null).SelectMany(a => a));

        private string OfReference(TypeReferenceHandle handle)
        {
            var type = md.GetTypeReference(handle);
            return type.ResolutionScope.Kind == HandleKind.TypeReference
                ? $"{OfReference((TypeReferenceHandle)type.ResolutionScope)}+{md.GetString(type.Name)}"
                : Join(md.GetString(type.Namespace), md.GetString(type.Name));
        }

        private static string Join(string ns, string name) => ns.Length == 0 ? name : $"{ns}.{name}";

        public ImmutableArray<string> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => [Of(handle)];
        public ImmutableArray<string> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => [OfReference(handle)];
        public ImmutableArray<string> GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
        public ImmutableArray<string> GetPrimitiveType(PrimitiveTypeCode typeCode) => [];
        public ImmutableArray<string> GetSZArrayType(ImmutableArray<string> elementType) => elementType;
        public ImmutableArray<string> GetArrayType(ImmutableArray<string> elementType, ArrayShape shape) => elementType;
        public ImmutableArray<string> GetByReferenceType(ImmutableArray<string> elementType) => elementType;
        public ImmutableArray<string> GetPointerType(ImmutableArray<string> elementType) => elementType;
        public ImmutableArray<string> GetPinnedType(ImmutableArray<string> elementType) => elementType;
        public ImmutableArray<string> GetGenericInstantiation(ImmutableArray<string> genericType, ImmutableArray<ImmutableArray<string>> typeArguments) =>
            genericType.AddRange(typeArguments.SelectMany(a => a));
        public ImmutableArray<string> GetGenericMethodParameter(object? genericContext, int index) => [];
        public ImmutableArray<string> GetGenericTypeParameter(object? genericContext, int index) => [];
        public ImmutableArray<string> GetModifiedType(ImmutableArray<string> modifier, ImmutableArray<string> unmodifiedType, bool isRequired) => unmodifiedType;
        public ImmutableArray<string> GetFunctionPointerType(MethodSignature<ImmutableArray<string>> signature) =>
            signature.ReturnType.AddRange(signature.ParameterTypes.SelectMany(p => p));
    }
}
