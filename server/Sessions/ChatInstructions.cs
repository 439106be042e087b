using Plue.Customizations;
using Plue.Protocol;
using Plue.Workspace;

namespace Plue.Sessions;

/// <summary>
/// The instructions files a chat's turn reads (<see cref="InstructionsFiles"/>): the workspace's, and the nearest
/// <c>AGENTS.md</c> above each file in play (its context files and the files attached in the conversation); none when
/// the chat turned them off (<c>use_instructions_files: false</c>); then the scoped ones (<see cref="ScopedInstructions"/>)
/// that apply to the files in play, or always; then the scoped ones that apply to a file a tool call of the chat read or
/// wrote (<see cref="Turns.TurnInstructions.Touched"/>), after the rest, as they joined the turn that touched it. Put together by <see cref="CustomizationRegistry.Instructions"/>, as a task's are.
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
        if (!Used(chat)) return [];
        var fields = ChatRecordFields.Of(chat.Fields);
        var attached = transcript.Where(m => m.Role == MessageRole.User).SelectMany(m => m.Parts).Concat(sending).OfType<FilePart>().Select(f => f.Path);
        var inPlay = fields.ContextFiles.Concat(attached).OfType<string>().Where(p => p.Length > 0 && !p.Contains("://", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal);
        return customizations.Instructions(workspace, inPlay, skipped, why);
    }

    /// <summary>False when the chat turned instructions files off (<c>use_instructions_files: false</c>): none is sent, none joins.</summary>
    public static bool Used(CodexRecord chat) => ChatRecordFields.Of(chat.Fields).UseInstructionsFiles != false;
}
