using Microsoft.Extensions.AI;
using Plue.Customizations;
using Plue.Protocol;
using Plue.Transcripts;
using Plue.Workspace;

namespace Plue.Turns;

/// <summary>
/// The instructions a turn carries beyond those it starts with, for a chat and a task alike: a scoped instructions file
/// (<see cref="ScopedInstructions"/>) matching a file a tool call read or wrote joins the next request once, after the
/// rest (the prompt's start, and the provider's cache of it, stay), and the transcript shows which files were sent,
/// why, and which were left out (<see cref="Part"/>).
/// </summary>
public sealed class TurnInstructions(CustomizationRegistry customizations, WorkspaceContext workspace, MessageStore messages, TranscriptTurns turns)
{
    /// <summary>
    /// The scoped files that the tool calls of <paramref name="answers"/> brought into play (a file they match read or
    /// written in <paramref name="folders"/>, the same path in the workspace; null: the workspace's folders) and that
    /// are not among <paramref name="sent"/> yet; now counted as sent.
    /// </summary>
    public IReadOnlyList<InstructionsFile> Touched(SentInstructions sent, IEnumerable<SessionMessage> answers, IReadOnlyList<string>? folders,
        ICollection<string>? skipped = null, IDictionary<string, string>? why = null) =>
        sent.Join(customizations.Scoped, ScopedInstructions.Touched(answers.Where(m => m.Role == MessageRole.Assistant), folders ?? workspace.Folders, workspace.Folders), skipped, why);

    /// <summary>The scoped files <paramref name="answer"/>'s tool calls brought in join <paramref name="options"/>' instructions, and the answer shows them with why.</summary>
    public async Task JoinScopedAsync(TurnPlace place, SentInstructions sent, SessionMessage answer, ChatOptions options)
    {
        var skipped = new List<string>();
        var why = new Dictionary<string, string>(StringComparer.Ordinal);
        var joined = Touched(sent, [messages.Message(answer.Id) ?? answer], place.Folders, skipped, why);
        if (joined.Count + skipped.Count == 0) return;
        options.Instructions = Join(options.Instructions, SentInstructions.Prompt(joined));
        await turns.AppendAsync(answer, [Part(joined, why, skipped)]).ConfigureAwait(false);
    }

    /// <summary>The Instructions part: the files sent, why the scoped ones, and those left out with why.</summary>
    public static InstructionsPart Part(IReadOnlyList<InstructionsFile> files, IDictionary<string, string> why, IReadOnlyList<string> skipped) => new()
    {
        Id = TranscriptIds.New(),
        Files = [.. files.Select(f => f.Path)],
        Reasons = why.Count > 0 ? new Dictionary<string, string>(why, StringComparer.Ordinal) : null,
        Skipped = skipped.Count > 0 ? [.. skipped] : null,
    };

    /// <summary>The sections present, one after another; null when none is.</summary>
    public static string? Join(params string?[] sections)
    {
        var present = sections.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        return present.Count == 0 ? null : string.Join("\n\n", present);
    }
}
