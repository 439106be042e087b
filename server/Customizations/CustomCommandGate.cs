using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Customizations;

/// <summary>
/// A command file (<c>.claude/commands</c>, <c>.codex/prompts</c>, …) that appeared or changed since the session began
/// (the agent may have written it: its body is what the model is told, its front matter picks the tools, model and
/// mode) runs only once the user has seen its file and allowed it (<c>permission/request</c>, tool <see cref="Tool"/>),
/// as a changed hook or MCP file's server does; allowed, it runs until it changes again. Plue's own command records do not ask.
/// </summary>
public sealed partial class CustomCommandGate(CustomizationRegistry customizations, JsonRpcPeer? peer, ILogger<CustomCommandGate> logger)
{
    /// <summary>The tool <c>permission/request</c> names for a command file that appeared or changed during the session.</summary>
    public const string Tool = "custom_command";

    private readonly ConcurrentDictionary<string, bool> _allowed = new(StringComparer.Ordinal);

    /// <summary>
    /// What the message's command part says when its command was not allowed: the message is sent as typed (nothing
    /// of it is lost), its command not expanded.
    /// </summary>
    public const string NotRun = "not run: its file appeared or changed during this session and was not allowed; review it, then send the command again";

    /// <summary>Whether <paramref name="command"/> may run: known from the session's start, allowed before, or allowed now.</summary>
    public async Task<bool> AllowedAsync(CustomCommand command, string? sessionId, string? taskId, CancellationToken cancellationToken)
    {
        if (customizations.KnownFromStart(command)) return true;
        var key = $"{command.Source}#{command.Name}#{command.Model}#{command.Mode}#{string.Join(',', command.Tools ?? [])}#{command.Body}";
        if (_allowed.ContainsKey(key)) return true;
        var file = Shown(command.Source);
        var allowed = false;
        if (peer is not null)
        {
            string text;
            try
            {
                text = File.ReadAllText(command.Source);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                text = command.Body;
            }
            var input = new JsonObject
            {
                ["path"] = file,
                ["command"] = $"/{command.Name}",
                ["content"] = text.Length <= 20_000 ? text : text[..20_000] + "…",
            };
            try
            {
                var answer = await peer.RequestAsync(Contract.PermissionRequest, new PermissionRequestParams
                {
                    SessionId = sessionId,
                    TaskId = taskId,
                    Tool = Tool,
                    Input = System.Text.Json.JsonDocument.Parse(input.ToJsonString()).RootElement.Clone(),
                    Reason = $"The command /{command.Name} in {file} appeared or changed during this session (the agent may have written it): run it?",
                }, cancellationToken).ConfigureAwait(false);
                allowed = answer?.Decision is "allow" or "allowAlways";
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogNotAsked(command.Name, e.Message);
            }
        }
        if (allowed) _allowed[key] = true;
        return allowed;
    }

    /// <summary>The file as the user knows it: under the home as <c>~/…</c>, else its name in its folder.</summary>
    private static string Shown(string source)
    {
        if (CustomizationRegistry.UserHome is { } home && source.StartsWith(home.TrimEnd('/') + "/", StringComparison.Ordinal))
            return "~/" + source[(home.TrimEnd('/').Length + 1)..];
        var parts = source.Split('/', StringSplitOptions.RemoveEmptyEntries);
        // .claude/commands/review.md: the folder that says whose it is, and the file.
        var start = Array.FindLastIndex(parts, p => p.StartsWith('.'));
        return start >= 0 ? string.Join('/', parts[start..]) : Path.GetFileName(source);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The command /{Command} changed during the session and was not run: the user could not be asked ({Reason})")]
    private partial void LogNotAsked(string command, string reason);
}
