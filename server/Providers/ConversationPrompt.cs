using System.Text;
using Microsoft.Extensions.AI;

namespace Plue.Providers;

/// <summary>
/// The prompt of an agent that keeps its own history (the claude CLI, an ACP agent): the last user message's text. An
/// agent that does not know the conversation yet (a new process given a chat begun elsewhere) gets the earlier turns
/// as a transcript before the question.
/// </summary>
internal static class ConversationPrompt
{
    public static string For(List<ChatMessage> history, bool agentKnowsConversation, string backend)
    {
        var lastUser = history.FindLastIndex(m => m.Role == ChatRole.User);
        if (lastUser < 0) throw new ArgumentException($"{backend} needs a user message.", nameof(history));
        var question = history[lastUser].Text;
        var earlier = history.Take(lastUser).Where(m => m.Role == ChatRole.User || m.Role == ChatRole.Assistant).ToList();
        if (agentKnowsConversation || earlier.Count == 0) return question;
        var transcript = new StringBuilder("Earlier in this conversation:\n\n");
        foreach (var message in earlier) transcript.Append(message.Role == ChatRole.User ? "User: " : "Assistant: ").Append(message.Text).Append("\n\n");
        return transcript.Append("Now: ").Append(question).ToString();
    }
}
