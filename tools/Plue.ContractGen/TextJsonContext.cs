using System.Text.Json.Serialization;

namespace Plue.ContractGen;

/// <summary>Reads the JSON strings the contract's serializer wrote (enum values, discriminators).</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class TextJsonContext : JsonSerializerContext;
