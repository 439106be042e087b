namespace Plue.Protocol;

/// <summary>
/// <c>permissions/reset</c>: forgets allow-always answers. With <c>taskId</c>, that task's; else those of
/// <c>folders</c> (absent: the current workspace). <c>tool</c> narrows it to one tool; absent: all of them. With
/// <c>id</c>, that one grant (a <c>tool-grant</c> record) alone; its history keeps it, so an undo brings it back.
/// </summary>
public sealed record PermissionsResetParams
{
    public string? Id { get; init; }
    public string? TaskId { get; init; }
    public IReadOnlyList<string>? Folders { get; init; }
    public string? Tool { get; init; }
}
