using System.Reflection;
using System.Reflection.Emit;

namespace Plue.Tests.Architecture;

/// <summary>
/// Every type a compiled type uses: its base, interfaces, attributes, members' signatures, locals, and the types,
/// methods and fields its IL names (so a <c>new</c>, a static call or a lambda counts too).
/// </summary>
internal static class TypeReferences
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<ushort, OpCode> s_opCodes = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => (ushort)o.Value);

    public static IEnumerable<Type> Of(Type type)
    {
        var found = new List<Type?> { type.BaseType };
        found.AddRange(type.GetInterfaces());
        found.AddRange(Attributes(type.GetCustomAttributesData()));
        foreach (var field in type.GetFields(Declared)) found.Add(field.FieldType);
        foreach (var property in type.GetProperties(Declared)) found.Add(property.PropertyType);
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo info) found.Add(info.ReturnType);
            found.AddRange(method.GetParameters().Select(p => p.ParameterType));
            found.AddRange(Attributes(method.GetCustomAttributesData()));
            if (method.GetMethodBody() is not { } body) continue;
            found.AddRange(body.LocalVariables.Select(l => l.LocalType));
            found.AddRange(InIl(method, body.GetILAsByteArray() ?? []));
        }
        return found.OfType<Type>().SelectMany(Expand);
    }

    private static IEnumerable<Type?> Attributes(IEnumerable<CustomAttributeData> attributes) =>
        attributes.SelectMany(a => a.ConstructorArguments.Select(c => c.Value as Type).Prepend(a.AttributeType));

    /// <summary>Array, pointer and generic types stand for what they are made of.</summary>
    private static IEnumerable<Type> Expand(Type type)
    {
        if (type.HasElementType) return Expand(type.GetElementType()!);
        if (type.IsGenericParameter) return [];
        if (!type.IsGenericType || type.IsGenericTypeDefinition) return [type];
        return type.GetGenericArguments().SelectMany(Expand).Prepend(type.GetGenericTypeDefinition());
    }

    private static IEnumerable<Type?> InIl(MethodBase method, byte[] il)
    {
        var typeArgs = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            ushort value = il[i++];
            if (value == 0xFE) value = (ushort)(0xFE00 | il[i++]);
            var op = s_opCodes[value];
            if (op.OperandType is OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok)
            {
                var member = Resolve(method.Module, BitConverter.ToInt32(il, i), typeArgs, methodArgs);
                yield return member as Type ?? member?.DeclaringType;
                if (member is FieldInfo field) yield return field.FieldType;
                if (member is MethodInfo { IsGenericMethod: true } generic)
                    foreach (var arg in generic.GetGenericArguments()) yield return arg;
            }
            i += op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
        }
    }

    private static MemberInfo? Resolve(Module module, int token, Type[]? typeArgs, Type[]? methodArgs)
    {
        try
        {
            return module.ResolveMember(token, typeArgs, methodArgs);
        }
        catch (ArgumentException)
        {
            return null; // a token of another generic context: its declaring type is seen elsewhere
        }
    }
}
