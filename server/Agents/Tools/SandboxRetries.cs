using System.Collections.Concurrent;
using System.Text.Json;
using Plue.Agents.Tools.Approvals;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Sandbox;
using Plue.Transcripts;
using Plue.Workspace;

namespace Plue.Agents.Tools;

/// <summary>
/// The calls the sandbox stopped, by their result part, while this sidecar runs: what a denial's "Allow this once"
/// runs again with the policy widened for that run only, and "Always for this workspace" runs again after recording
/// each denial as a workspace <c>tool-grant</c> that widens the workspace's policy (<see cref="SandboxPolicies"/>).
/// </summary>
public sealed class SandboxRetries(Func<ToolRunner> tools, ToolGrants grants, MessageStore messages, TranscriptEvents events, WorkspaceContext session,
    SandboxContext sandbox)
{
    /// <summary>How many stopped calls are kept to be run again; the oldest go first.</summary>
    private const int Most = 200;

    private readonly ConcurrentDictionary<string, Retry> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    private sealed record Retry(ToolGrant Grant, string Tool, string Input, string MessageId, string CallPartId, IReadOnlyList<SandboxDenial> Denials);

    /// <summary>Keeps a stopped call (its result part <paramref name="partId"/>) so the user can let it through.</summary>
    public void Remember(string partId, ToolGrant grant, ToolUsePart call, string messageId, IReadOnlyList<SandboxDenial> denials)
    {
        _calls[partId] = new Retry(grant, call.Name ?? "", call.Input?.ToJsonString() ?? "{}", messageId, call.Id, denials);
        _order.Enqueue(partId);
        while (_order.Count > Most && _order.TryDequeue(out var old)) _calls.TryRemove(old, out _);
    }

    public Task<SandboxAllowResult> AllowOnceAsync(SandboxAllowParams request, CancellationToken cancellationToken) =>
        RunAgainAsync(request, always: false, cancellationToken);

    public Task<SandboxAllowResult> AllowAlwaysAsync(SandboxAllowParams request, CancellationToken cancellationToken) =>
        RunAgainAsync(request, always: true, cancellationToken);

    private async Task<SandboxAllowResult> RunAgainAsync(SandboxAllowParams request, bool always, CancellationToken cancellationToken)
    {
        if (!_calls.TryGetValue(request.PartId, out var retry) || retry.Grant.TaskId != request.Id)
            return await AllowNotRunAgainAsync(request, always).ConfigureAwait(false) ?? throw RpcException.InvalidParams("That call can no longer be run again (Plue restarted since, or it was not stopped by the sandbox): ask the agent to run it again.");
        var made = new List<ToolGrantInfo>();
        var policy = retry.Grant.Sandbox.Allowing(retry.Denials);
        if (always)
        {
            if (session.Folders.Count == 0) throw RpcException.InvalidParams("No workspace folder is open, so there is no workspace to allow it in: use Allow this once.");
            if (!session.Trusted) throw RpcException.InvalidParams("This workspace is not trusted, so nothing is remembered for it: trust the workspace, or use Allow this once.");
            foreach (var denial in retry.Denials)
            {
                var record = denial.Kind == SandboxDenial.Path
                    ? SandboxPolicy.WritableFor(denial.What) is { } path ? grants.AddSandbox(session.Folders, retry.Tool, path, null) : null
                    : grants.AddSandbox(session.Folders, retry.Tool, null, denial.What);
                if (record is not null) made.Add(grants.Info(record, session.Folders));
            }
        }
        using var input = JsonDocument.Parse(retry.Input);
        var result = await tools().RunAllowedAsync(retry.Grant with { Sandbox = policy }, retry.Tool, input.RootElement, cancellationToken).ConfigureAwait(false);
        var allowed = always ? "workspace" : "once";
        var note = always ? "[Run again by the user after allowing it always for this workspace.]" : "[Run again by the user with what the sandbox denied allowed this once.]";
        var output = $"{result.Output}\n{note}";
        if (result.SandboxDenials.Count > 0) Remember(request.PartId, retry.Grant, new ToolUsePart { Id = retry.CallPartId, Name = retry.Tool, Input = System.Text.Json.Nodes.JsonNode.Parse(retry.Input) }, retry.MessageId, result.SandboxDenials);
        else _calls.TryRemove(request.PartId, out _);
        if (messages.Message(retry.MessageId) is { } message)
        {
            if (message.Parts.FirstOrDefault(p => p.Id == request.PartId) is ToolResultPart part)
                messages.UpdatePart(part with { Output = output, IsError = result.IsError, SandboxDenials = result.SandboxDenials.Count > 0 ? SandboxDenial.Info(result.SandboxDenials) : null, SandboxAllowed = allowed });
            if (message.Parts.FirstOrDefault(p => p.Id == retry.CallPartId) is ToolUsePart call)
                messages.UpdatePart(call with { State = result.IsError ? ToolState.Error : ToolState.Completed });
            if (messages.Message(retry.MessageId) is { } updated) await events.MessageUpdatedAsync(updated).ConfigureAwait(false);
        }
        return new SandboxAllowResult { Output = output, IsError = result.IsError, Denials = SandboxDenial.Info(result.SandboxDenials), Grants = made };
    }

    /// <summary>
    /// A denial of something Plue does not run again on its own: an agent hook's (allowed once, the next hooks of this
    /// chat or task run with it allowed) or a hosted agent's tool call (the claude CLI's, an ACP agent's: allowed once,
    /// the agent's proxy lets the host through until the agent restarts). Always: the workspace grants, as for a call.
    /// Null when <paramref name="request"/>'s part carries no such denial.
    /// </summary>
    private async Task<SandboxAllowResult?> AllowNotRunAgainAsync(SandboxAllowParams request, bool always)
    {
        var message = messages.Messages(request.Id).FirstOrDefault(m => m.Parts.Any(p => p.Id == request.PartId));
        var part = message?.Parts.First(p => p.Id == request.PartId);
        var (shown, tool) = part switch
        {
            HookPart { SandboxDenials.Count: > 0 } hook => (hook.SandboxDenials, Agents.Hooks.AgentHookDispatch.Tool),
            ToolResultPart { SandboxDenials.Count: > 0 } result => (result.SandboxDenials, result.Name ?? "agent"),
            _ => (null, ""),
        };
        if (message is null || shown is null) return null;
        var denials = shown.Select(d => new SandboxDenial(d.Kind, d.What)).ToList();
        var made = new List<ToolGrantInfo>();
        if (always)
        {
            if (session.Folders.Count == 0) throw RpcException.InvalidParams("No workspace folder is open, so there is no workspace to allow it in: use Allow this once.");
            if (!session.Trusted) throw RpcException.InvalidParams("This workspace is not trusted, so nothing is remembered for it: trust the workspace, or use Allow this once.");
            foreach (var denial in denials)
            {
                var record = denial.Kind == SandboxDenial.Path
                    ? SandboxPolicy.WritableFor(denial.What) is { } path ? grants.AddSandbox(session.Folders, tool, path, null) : null
                    : grants.AddSandbox(session.Folders, tool, null, denial.What);
                if (record is not null) made.Add(grants.Info(record, session.Folders));
            }
        }
        string said;
        if (part is HookPart hookPart)
        {
            if (!always) SandboxAllowances.AllowOnce(request.Id, denials);
            said = always ? "Allowed always for this workspace: the hook gets it from its next run on." : "Allowed once: the next hooks that run here get it.";
            messages.UpdatePart(hookPart with { SandboxDenials = null, SandboxAllowed = always ? "workspace" : "once", Text = $"{hookPart.Text} {said}" });
        }
        else
        {
            var result = (ToolResultPart)part!;
            // A host through the live agent's proxy at once (always too: its next start gets the grant with the workspace's
            // policy); a path at the agent's next start, which its next message makes (a running sandbox cannot be widened).
            var hosts = denials.Where(d => d.Kind == SandboxDenial.Host).Select(d => d.What).ToList();
            var paths = denials.Where(d => d.Kind == SandboxDenial.Path).ToList();
            if (!always) sandbox.Proxies.AllowPaths(request.Id, paths);
            if (hosts.Count > 0 && !sandbox.Proxies.Allow(request.Id, hosts) && !always)
                throw RpcException.InvalidParams("The agent that was denied it has stopped since: use Always for this workspace, or send another message and allow it when it is denied again.");
            said = always ? "[Allowed by the user always for this workspace: the agent reaches it from now on. Ask it to try again.]"
                : paths.Count > 0 ? "[Allowed by the user for this agent: it starts again with it writable at the next message. Ask it to try again.]"
                : "[Allowed by the user for this agent until it restarts: ask it to try again.]";
            messages.UpdatePart(result with { SandboxDenials = null, SandboxAllowed = always ? "workspace" : "once", Output = $"{result.Output}\n{said}" });
        }
        if (messages.Message(message.Id) is { } updated) await events.MessageUpdatedAsync(updated).ConfigureAwait(false);
        return new SandboxAllowResult { Output = said, IsError = false, Denials = [], Grants = made };
    }
}
