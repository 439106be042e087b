using Plue.Workspace;

namespace Plue.Customizations;

/// <summary>
/// The instructions files a chat's turn or a task has sent so far, so that a scoped file (<see cref="ScopedInstructions"/>)
/// a tool call brings into play, by reading or writing a file it matches, joins the next request once, after the
/// others: the prompt's start stays as it was, and with it the provider's prompt cache.
/// </summary>
public sealed class SentInstructions(IReadOnlyList<InstructionsFile> sent)
{
    private readonly List<InstructionsFile> _files = [.. sent];
    // Each scoped file is weighed once: one left out (its text sent already, or over the cap) is not named again at every call.
    private readonly HashSet<string> _weighed = new(sent.Select(f => f.Path), StringComparer.Ordinal);

    public IReadOnlyList<InstructionsFile> Files => _files;

    /// <summary>
    /// The scoped files that match <paramref name="touched"/> and were not sent yet, now counted as sent, each with why
    /// (<c>read by the agent: src/a.py</c>); those that always apply were weighed with the turn's start and are not here.
    /// </summary>
    public IReadOnlyList<InstructionsFile> Join(IReadOnlyList<ScopedInstruction> scoped, IEnumerable<TouchedFile> touched, ICollection<string>? skipped = null, IDictionary<string, string>? why = null)
    {
        var joined = new List<InstructionsFile>();
        var waiting = scoped.Where(s => !s.Always).ToList();
        foreach (var file in touched)
        {
            foreach (var (instruction, reason) in ScopedInstructions.Matching(waiting, [file.Path], relative => $"{file.How} by the agent: {relative}"))
            {
                if (!_weighed.Add(instruction.Path)) continue;
                if (!CustomizationRegistry.Add(_files, instruction, skipped)) continue;
                joined.Add(instruction);
                why?.TryAdd(instruction.Path, reason);
            }
        }
        return joined;
    }

    /// <summary>Files joined this way, each as its own section after the system prompt's others (so the same files read the same whether they joined together or one by one).</summary>
    public static string? Prompt(IReadOnlyList<InstructionsFile> joined) => joined.Count == 0 ? null
        : string.Join("\n\n", joined.Select(f => $"This instructions file applies to a file you read or wrote. Follow it unless the user says otherwise.\n\n<instructions file=\"{f.Path}\">\n{f.Text.TrimEnd()}\n</instructions>"));
}
