namespace Plue.Protocol;

/// <summary>
/// <c>permission/request</c> result: <c>decision</c> allow | allowAlways | deny; <c>message</c> tells the model why.
/// With allowAlways, <c>scope</c> says where it holds: <c>"task"</c> (absent means this) for the asking task or chat;
/// <c>"workspace"</c> for this set of workspace folders, in every chat, task, <c>plue ask</c> and <c>plue acp</c>;
/// <c>"everywhere"</c> for every workspace of the user; each until revoked (<c>permissions/reset</c>, Manage Tool Permissions, the composer's list). In an untrusted workspace nothing is remembered: allowAlways counts as allow.
/// With allowAlways, <c>commandPrefix</c> (bash) or <c>pathGlob</c> (write, edit) narrows the grant to commands
/// starting with those words or paths matching the glob; absent: the whole tool. <c>host</c> (bash, with a prefix)
/// narrows it further to commands whose every URL is on that host. Each is a <c>tool-grant</c> record.
/// </summary>
public sealed record PermissionRequestResult
{
    public required string Decision { get; init; }
    public string? Message { get; init; }
    public string? Scope { get; init; }
    public string? CommandPrefix { get; init; }
    public string? PathGlob { get; init; }
    public string? Host { get; init; }
}
