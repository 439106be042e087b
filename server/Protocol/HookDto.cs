using System.Text.Json.Nodes;

namespace Plue.Protocol;

public sealed record HookDto
{
    public required string Trigger { get; init; }
    public required string Field { get; init; }
    public required string Action { get; init; }
    public required IReadOnlyList<JsonObject> Conditions { get; init; }
}
