using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Plue.ContractGen.Model;
using Plue.Rpc;

namespace Plue.ContractGen;

/// <summary>Reads the server's contract by reflection: the methods of <see cref="Plue.Protocol.Contract"/>, the types they reach, the error codes.</summary>
public static class ContractReader
{
    public static WireContract Read()
    {
        var contract = typeof(Protocol.Contract);
        var fields = contract.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => typeof(RpcMethod).IsAssignableFrom(f.FieldType))
            .OrderBy(f => f.MetadataToken)
            .Select(f => (Field: f, Method: (RpcMethod)f.GetValue(null)!))
            .ToList();
        if (fields.Count == 0) throw new InvalidOperationException($"{contract} declares no methods");

        var methodNames = fields.ToDictionary(f => $"F:{contract.FullName}.{f.Field.Name}", f => f.Method.Name);
        var docs = new XmlDocs(contract.Assembly, cref => methodNames.GetValueOrDefault(cref)
            ?? (cref.StartsWith("P:", StringComparison.Ordinal) ? JsonNamingPolicy.CamelCase.ConvertName(cref[(cref.LastIndexOf('.') + 1)..]) : null));
        var walker = new TypeWalker(fields[0].Method.ParamsTypeInfo.Options, docs);

        var methods = fields.Select(f =>
        {
            var (paramsUse, resultUse) = f.Method.Direction == Direction.ClientToSidecar
                ? (TypeWalker.Use.SidecarReads, TypeWalker.Use.SidecarWrites)
                : (TypeWalker.Use.SidecarWrites, TypeWalker.Use.SidecarReads);
            var parameters = f.Method.ParamsTypeInfo;
            // A params type without members (EmptyParams) means the method takes none.
            TypeRef paramsRef = parameters is { Kind: JsonTypeInfoKind.Object, Properties.Count: 0, PolymorphismOptions: null }
                ? new TypeRef.Nothing()
                : walker.Visit(parameters.Type, paramsUse);
            var result = f.Method.ResultTypeInfo is { } r ? walker.Visit(r.Type, resultUse) : null;
            return new WireMethod(f.Method.Name, f.Method.Direction, paramsRef, result, docs.OfMember(f.Field));
        }).ToList();

        return new WireContract(methods, walker.Types(), ErrorCodes(contract.Assembly, docs));
    }

    /// <summary>The public <c>const int</c>s of every static class named <c>*ErrorCodes</c>, one per name, highest code first.</summary>
    private static List<WireErrorCode> ErrorCodes(Assembly assembly, XmlDocs docs) =>
        assembly.GetTypes()
            .Where(t => t is { IsPublic: true, IsClass: true, IsAbstract: true, IsSealed: true } && t.Name.EndsWith("ErrorCodes", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(int)))
            .Select(f => new WireErrorCode(JsonNamingPolicy.CamelCase.ConvertName(f.Name), (int)f.GetRawConstantValue()!, docs.OfMember(f)))
            .GroupBy(c => c.Name)
            .Select(g => g.Select(c => c.Code).Distinct().Count() == 1
                ? g.OrderBy(c => c.Summary is null).First()
                : throw new InvalidOperationException($"Error code {g.Key} has two values: {string.Join(", ", g.Select(c => c.Code))}"))
            .OrderByDescending(c => c.Code)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
}
