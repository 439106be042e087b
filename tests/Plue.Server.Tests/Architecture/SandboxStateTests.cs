using System.Reflection;
using System.Runtime.CompilerServices;
using Plue.Sandbox;

namespace Plue.Tests.Architecture;

/// <summary>
/// The workspace's sandbox policy is the host's (<see cref="SandboxContext"/>, injected), never a process-wide static
/// that a host inside another program (the tests') shares with every other host: no static field or settable static
/// property of the sidecar holds a sandbox policy, a home or a bridge.
/// </summary>
public sealed class SandboxStateTests
{
    [Fact]
    public void NoMutableStatic_HoldsASandboxPolicy_AHome_OrABridge()
    {
        var found = MutableStatics(typeof(SandboxContext).Assembly).Where(m => Holds(m.Type, m.Id)).Select(m => m.Id).ToList();
        Assert.True(found.Count == 0, "process-wide state that belongs to one host; inject Plue.Sandbox.SandboxContext instead:\n" + string.Join("\n", found));
    }

    [Fact]
    public void TheCheck_FindsASettableStaticPolicy()
    {
        // The check itself: a type like the one this replaced (AgentSandbox.WorkspacePolicy) is found.
        Assert.Contains(MutableStatics([typeof(Planted)]), m => Holds(m.Type, m.Id) && m.Id.EndsWith("Planted.WorkspacePolicy", StringComparison.Ordinal));
    }

    private static class Planted
    {
        public static Func<SandboxPolicy> WorkspacePolicy { get; set; } = () => SandboxPolicy.Off;
    }

    private static IEnumerable<(string Id, Type Type)> MutableStatics(Assembly assembly) => MutableStatics(assembly.GetTypes());

    private static IEnumerable<(string Id, Type Type)> MutableStatics(IEnumerable<Type> types)
    {
        const BindingFlags Statics = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        foreach (var type in types)
        {
            var owner = type.FullName?.Replace('+', '.') ?? type.Name;
            foreach (var property in type.GetProperties(Statics))
                if (property.SetMethod is not null) yield return ($"{owner}.{property.Name}", property.PropertyType);
            foreach (var field in type.GetFields(Statics))
            {
                if (field.IsInitOnly || field.IsLiteral) continue;
                // A settable property's backing field is reported with its property; a field of the compiler's own (lambdas' caches) is no state.
                var name = field.Name.StartsWith('<') ? field.Name[1..field.Name.IndexOf('>', StringComparison.Ordinal)] : field.Name;
                if (field.IsDefined(typeof(CompilerGeneratedAttribute)) || type.IsDefined(typeof(CompilerGeneratedAttribute))) continue;
                yield return ($"{owner}.{name}", field.FieldType);
            }
        }
    }

    /// <summary>A sandbox policy (or what makes one: a function, a lazy), the sandbox's context, a home or a bridge (by its member's or type's name).</summary>
    private static bool Holds(Type type, string id) =>
        id.Contains("home", StringComparison.OrdinalIgnoreCase) || id.Contains("bridge", StringComparison.OrdinalIgnoreCase)
        || type == typeof(SandboxPolicy) || type == typeof(SandboxContext) || type == typeof(SandboxPlaces)
        || (type.IsGenericType && type.GetGenericArguments().Any(a => Holds(a, "")))
        || (type.IsArray && Holds(type.GetElementType()!, ""));
}
