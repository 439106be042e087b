using System.Text.Json.Serialization;

namespace Plue.Agents.Tools.Approvals;

/// <summary><c>$PLUE_HOME/permissions.json</c>: where workspace grants were kept before they were <c>tool-grant</c> records; read once to move them.</summary>
public sealed record PermissionsFile
{
    public int Version { get; init; }
    public List<PermissionsFileEntry>? Workspaces { get; init; }
}

public sealed record PermissionsFileEntry
{
    /// <summary>Normalized by <see cref="ToolGrants.Key"/>: full paths, sorted.</summary>
    public required List<string> Folders { get; init; }
    public required List<string> Tools { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PermissionsFile))]
internal sealed partial class PermissionsFileJsonContext : JsonSerializerContext;
