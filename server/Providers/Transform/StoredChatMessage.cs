using Microsoft.Extensions.AI;

namespace Plue.Providers.Transform;

/// <summary>
/// A message of a stored transcript, made once and sent at every turn after: it keeps its JSON as a wire format
/// wrote it the first time, so a long chat's request copies the history's bytes instead of writing every message
/// again. Never changed once made: a message changed in the store is read as a new one, and makes a new one of these.
/// Only user and assistant turns (text, images, reasoning) are made so: each is one JSON value, or none.
/// </summary>
public sealed class StoredChatMessage(ChatRole role, IList<AIContent> contents) : ChatMessage(role, contents)
{
    /// <summary>The message as an OpenAI Chat Completions request carries it; empty when it carries nothing of it.</summary>
    internal byte[]? OpenAIJson { get; set; }
}
