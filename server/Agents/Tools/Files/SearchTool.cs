using System.Text;
using System.Text.Json;

namespace Plue.Agents.Tools.Files;

/// <summary><c>search</c>: lines matching a regular expression in the workspace's files, with ripgrep when it is installed.</summary>
public sealed class SearchTool(Func<string?> findRipgrep) : IAgentTool
{
    public const int MaxMatches = 200;

    private static readonly JsonElement s_schema = ToolSchema.Object(
        [
            new("pattern", "string", "A regular expression (escape regex characters to search for plain text).", Required: true),
            new("path", "string", "A file or folder to search in. Default: every workspace folder."),
            new("glob", "string", "Only files matching this glob, e.g. *.cs or src/**/*.ts."),
            new("ignore_case", "boolean", "Match regardless of case. Default false."),
        ]);

    public SearchTool() : this(RipgrepSearch.Find)
    {
    }

    public string Name => "search";
    public string Description => $"Finds lines matching a regular expression in the workspace's files, as path:line:text. Files ignored by .gitignore are skipped. At most {MaxMatches} matches are shown.";
    public JsonElement InputSchema => s_schema;
    public bool AsksApproval => false;

    public async Task<ToolResult> RunAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        var pattern = ToolInput.RequiredText(input, "pattern");
        if (pattern.Length == 0) throw new ToolException("'pattern' is empty.");
        var path = ToolInput.OptionalText(input, "path");
        var folders = context.WorkspaceFolders;
        if (folders.Count == 0) throw new ToolException(WorkspacePaths.NoWorkspace);
        IReadOnlyList<string> roots = path is { Length: > 0 }
            ? [WorkspacePaths.ResolveExisting(folders, path)]
            : [.. folders.Select(f => WorkspacePaths.ResolveExisting(folders, f))];
        var request = new SearchRequest(pattern, ToolInput.OptionalBool(input, "ignore_case"), ToolInput.OptionalText(input, "glob"), roots, MaxMatches);

        var outcome = findRipgrep() is { } rg
            ? await RipgrepSearch.RunAsync(rg, request, cancellationToken, context.Sandbox, folders, context.PlueHome).ConfigureAwait(false)
            : await ManagedSearch.RunAsync(request, cancellationToken).ConfigureAwait(false);
        return new ToolResult(Format(outcome, folders));
    }

    private static string Format(SearchOutcome outcome, IReadOnlyList<string> folders)
    {
        var text = new StringBuilder();
        foreach (var match in outcome.Matches)
            text.Append(WorkspacePaths.Display(folders, match.Path)).Append(':').Append(match.Line).Append(':').Append(match.Text).Append('\n');
        if (outcome.Matches.Count == 0) text.Append("No matches.\n");
        if (outcome.Truncated) text.Append($"[Truncated: more than {MaxMatches} matches; narrow the pattern, path or glob.]\n");
        if (outcome.Note is { } note) text.Append('[').Append(note).Append("]\n");
        return text.ToString();
    }
}
