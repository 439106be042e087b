using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Plue.ContractGen.Model;

namespace Plue.ContractGen;

/// <summary>
/// Walks the JSON metadata of the wire types (what the serializer really does, not what the C# looks like) and
/// describes each reachable type once. Whether a member's key may be absent depends on who writes the type:
/// the sidecar omits a null member unless it says <c>[JsonIgnore(Condition = Never)]</c>; a client may leave out
/// any member that is not <c>required</c>. So members are described only after every method was visited, as the
/// sidecar writes them when it does.
/// </summary>
internal sealed class TypeWalker(JsonSerializerOptions options, XmlDocs docs)
{
    private readonly Dictionary<Type, Use> _uses = [];
    private readonly List<Type> _order = [];
    private readonly Dictionary<string, Type> _names = [];
    private readonly Dictionary<Type, WireTag> _tags = [];

    [Flags]
    public enum Use
    {
        None = 0,
        /// <summary>The sidecar reads it: a client wrote it.</summary>
        SidecarReads = 1,
        /// <summary>The sidecar writes it.</summary>
        SidecarWrites = 2,
    }

    public TypeRef Visit(Type type, Use use)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (Scalar(type) is { } scalar) return scalar;
        if (type.IsEnum) return Name(type, use, null);

        var info = options.GetTypeInfo(type);
        return info.Kind switch
        {
            JsonTypeInfoKind.Enumerable => new TypeRef.ArrayOf(Visit(info.ElementType!, use)),
            JsonTypeInfoKind.Dictionary when info.KeyType == typeof(string) => new TypeRef.MapOf(Visit(info.ElementType!, use)),
            JsonTypeInfoKind.Object => Name(type, use, info),
            _ => throw new NotSupportedException($"{type} has no TypeScript shape: give it one in {nameof(TypeWalker)}.{nameof(Scalar)}"),
        };
    }

    /// <summary>Every type met, first met first, described with everything that uses it known.</summary>
    public IReadOnlyList<WireType> Types() => _order.Select(Describe).ToList();

    private static TypeRef? Scalar(Type type)
    {
        if (type == typeof(string) || type == typeof(char) || type == typeof(Guid) || type == typeof(Uri) || type == typeof(TimeSpan)
            || type == typeof(DateOnly) || type == typeof(TimeOnly) || type == typeof(byte[]))
            return new TypeRef.Scalar(ScalarKind.String);
        if (type == typeof(bool)) return new TypeRef.Scalar(ScalarKind.Boolean);
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime)) return new TypeRef.Scalar(ScalarKind.DateTime);
        if (type == typeof(JsonObject)) return new TypeRef.Scalar(ScalarKind.JsonObject);
        if (type == typeof(JsonArray)) return new TypeRef.ArrayOf(new TypeRef.Scalar(ScalarKind.JsonValue));
        if (type == typeof(object) || type == typeof(JsonElement) || type == typeof(JsonDocument) || typeof(JsonNode).IsAssignableFrom(type))
            return new TypeRef.Scalar(ScalarKind.JsonValue);
        if (type.IsPrimitive || type == typeof(decimal)) return new TypeRef.Scalar(ScalarKind.Number);
        return null;
    }

    private TypeRef.Named Name(Type type, Use use, JsonTypeInfo? info)
    {
        if (type.IsGenericType) throw new NotSupportedException($"{type}: a generic wire type needs a name of its own");
        if (_names.TryGetValue(type.Name, out var other) && other != type)
            throw new NotSupportedException($"{type} and {other} would both be named {type.Name} in TypeScript");
        _names[type.Name] = type;

        var known = _uses.TryGetValue(type, out var had);
        if (!known) _order.Add(type);
        if (known && (had | use) == had) return new TypeRef.Named(type.Name);
        _uses[type] = had | use;

        if (info is null) return new TypeRef.Named(type.Name);
        foreach (var property in info.Properties) Visit(property.PropertyType, use);
        if (info.PolymorphismOptions is { } polymorphism)
        {
            var discriminator = polymorphism.TypeDiscriminatorPropertyName;
            foreach (var derived in polymorphism.DerivedTypes)
            {
                var value = derived.TypeDiscriminator ?? throw new NotSupportedException($"{derived.DerivedType} needs a type discriminator");
                _tags[derived.DerivedType] = new WireTag(discriminator, JsonSerializer.Serialize(value, options.GetTypeInfo(value.GetType())));
                Name(derived.DerivedType, use, options.GetTypeInfo(derived.DerivedType));
            }
        }
        return new TypeRef.Named(type.Name);
    }

    private WireType Describe(Type type)
    {
        if (type.IsEnum) return DescribeEnum(type);
        var info = options.GetTypeInfo(type);
        if (info.PolymorphismOptions is { } polymorphism)
        {
            if (!type.IsAbstract) throw new NotSupportedException($"{type}: a polymorphic wire type must be abstract, so every value has a discriminator");
            return new WireUnion(type.Name, docs.OfType(type), polymorphism.TypeDiscriminatorPropertyName,
                polymorphism.DerivedTypes.Select(d => d.DerivedType.Name).ToList());
        }
        var tag = _tags.GetValueOrDefault(type);
        // The serializer writes a derived type's own members first; a reader expects the base's first.
        var members = info.Properties
            .Where(p => p.Name != tag?.Member)
            .OrderBy(p => Depth((p.AttributeProvider as MemberInfo)?.DeclaringType))
            .Select(p => Describe(p, _uses[type]))
            .OfType<WireMember>()
            .ToList();
        return new WireObject(type.Name, docs.OfType(type), members, tag);
    }

    private static int Depth(Type? type)
    {
        var depth = 0;
        for (; type?.BaseType is { } parent; type = parent) depth++;
        return depth;
    }

    private WireMember? Describe(JsonPropertyInfo property, Use use)
    {
        var member = property.AttributeProvider as MemberInfo;
        var condition = member?.GetCustomAttribute<JsonIgnoreAttribute>()?.Condition ?? options.DefaultIgnoreCondition;
        if (condition == JsonIgnoreCondition.Always) return null;

        var nullable = property.IsGetNullable;
        var omittedWhenNull = condition is JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault;
        var mayBeAbsentFromSidecar = (nullable && omittedWhenNull) || condition is JsonIgnoreCondition.WhenWritingDefault or JsonIgnoreCondition.WhenWriting;
        // A type both ways (a catalog provider, a retry policy) is described as the sidecar sends it: clients mostly read.
        var optional = use.HasFlag(Use.SidecarWrites) ? mayBeAbsentFromSidecar : !property.IsRequired;
        return new WireMember(property.Name, Visit(property.PropertyType, use), optional, nullable && !omittedWhenNull,
            member is null ? null : docs.OfMember(member));
    }

    private WireEnum DescribeEnum(Type type)
    {
        var info = options.GetTypeInfo(type);
        var values = type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .OrderBy(f => f.MetadataToken)
            .Select(f => new WireEnumValue(JsonSerializer.Serialize(f.GetValue(null), info), docs.OfMember(f)))
            .ToList();
        return new WireEnum(type.Name, docs.OfType(type), values);
    }
}
