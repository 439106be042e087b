using Plue.Customizations;
using Plue.Protocol;
using Plue.Workspace;

namespace Plue.Sessions;

/// <summary>
/// The instructions files a chat's turn reads (<see cref="InstructionsFiles"/>): the workspace's, and the nearest
/// <c>AGENTS.md</c> above each file in play (its context files and the files attached in the conversation); none when
/// the chat turned them off (<c>use_instructions_files: false</c>); then the scoped ones (<see cref="ScopedInstructions"/>)
/// that apply to the files in play, or always.
/// </summary>
public static class ChatInstructions
{
    public const string UseField = "use_instructions_files";

    /// <param name="sending">The parts of the message being sent (its attachments are in play too).</param>
    /// <param name="skipped">Told the files left out, each with why.</param>
    /// <param name="why">Told why each scoped file was sent, by its path ("applies to src/a.py", "always applies").</param>
    public static IReadOnlyList<InstructionsFile> Files(CodexRecord chat, IReadOnlyList<SessionMessage> transcript, IEnumerable<MessagePart> sending, WorkspaceContext workspace,
        CustomizationRegistry customizations, ICollection<string>? skipped = null, IDictionary<string, string>? why = null)
    {
        var fields = ChatRecordFields.Of(chat.Fields);
        if (fields.UseInstructionsFiles == false) return [];
        var attached = transcript.Where(m => m.Role == MessageRole.User).SelectMany(m => m.Parts).Concat(sending).OfType<FilePart>().Select(f => f.Path);
        var inPlay = fields.ContextFiles.Concat(attached).OfType<string>().Where(p => p.Length > 0 && !p.Contains("://", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal);
        var files = InstructionsFiles.For(workspace, inPlay, skipped, customizations.Texts);
        // The registry lists an untrusted workspace's files as ignored, so only the user's instruction records are scoped here then.
        var total = files.Sum(f => f.Text.Length);
        var all = files.ToList();
        foreach (var (file, reason) in ScopedInstructions.Matching(customizations.Scoped, inPlay))
        {
            if (total + file.Text.Length > InstructionsFiles.MaxTotalBytes)
            {
                skipped?.Add($"{file.Path} was not read: the instructions already fill {InstructionsFiles.MaxTotalBytes / 1024} KiB");
                continue;
            }
            total += file.Text.Length;
            all.Add(file);
            why?.TryAdd(file.Path, reason);
        }
        return all;
    }
}
