using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Plue.Providers.ClaudeCode;

namespace Plue.Providers;

/// <summary>
/// The one redaction point of the provider layer: every client the factory makes is wrapped in it, so what a
/// provider sends back (streamed text and reasoning, error content, the errors thrown) leaves without any secret of
/// the connection (<see cref="ProviderSecrets"/>) in any form, whichever backend or echo carried it. Text that ends
/// with the start of a secret is held until the next chunk shows whether the secret follows, so a secret split across
/// chunks is caught too.
/// </summary>
public sealed class SecretScrubbingChatClient(IChatClient inner, ProviderConnection connection) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken).ConfigureAwait(false);

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var text = new HeldText(connection);
        var reasoning = new HeldText(connection);
        var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false)) break;
                    update = updates.Current;
                }
                catch (Exception e) when (Scrubbed(e) is { } clean)
                {
                    throw clean;
                }
                if (Scrub(update, text, reasoning)) yield return update;
            }
        }
        finally
        {
            await updates.DisposeAsync().ConfigureAwait(false);
        }
        if (text.Flush() is { Length: > 0 } restText) yield return new ChatResponseUpdate(ChatRole.Assistant, [new TextContent(restText)]);
        if (reasoning.Flush() is { Length: > 0 } restReasoning) yield return new ChatResponseUpdate(ChatRole.Assistant, [new TextReasoningContent(restReasoning)]);
    }

    /// <summary>Scrubs the update in place; false when nothing is left of it for now (its text held).</summary>
    private bool Scrub(ChatResponseUpdate update, HeldText text, HeldText reasoning)
    {
        var contents = new List<AIContent>(update.Contents.Count + 1);
        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case TextContent t:
                    if (reasoning.Flush() is { Length: > 0 } heldReasoning) contents.Add(new TextReasoningContent(heldReasoning));
                    t.Text = text.Push(t.Text);
                    if (t.Text.Length > 0) contents.Add(t);
                    break;
                case TextReasoningContent r:
                    if (text.Flush() is { Length: > 0 } heldText) contents.Add(new TextContent(heldText));
                    r.Text = reasoning.Push(r.Text);
                    if (r.Text.Length > 0 || r.ProtectedData is not null) contents.Add(r);
                    break;
                default:
                    // Anything else ends the text before it: what was held goes first, in order.
                    if (text.Flush() is { Length: > 0 } beforeText) contents.Add(new TextContent(beforeText));
                    if (reasoning.Flush() is { Length: > 0 } beforeReasoning) contents.Add(new TextReasoningContent(beforeReasoning));
                    contents.Add(Scrubbed(content));
                    break;
            }
        }
        if (update.FinishReason is not null)
        {
            if (text.Flush() is { Length: > 0 } lastText) contents.Add(new TextContent(lastText));
            if (reasoning.Flush() is { Length: > 0 } lastReasoning) contents.Add(new TextReasoningContent(lastReasoning));
        }
        var emptied = update.Contents.Count > 0 && contents.Count == 0 && update.FinishReason is null;
        update.Contents = contents;
        return !emptied;
    }

    /// <summary>
    /// A part other than text, its words scrubbed: an error's message; a tool call's name and input and a tool's result
    /// (an ACP agent or the claude CLI runs its own tools and tells what they took and gave: a command's output holding
    /// the agent's key reaches the transcript and the next model request through them).
    /// </summary>
    private AIContent Scrubbed(AIContent content)
    {
        switch (content)
        {
            case ErrorContent error:
                error.Message = connection.Scrub(error.Message);
                return error;
            case FunctionCallContent call:
                if (call.Arguments is { } arguments)
                    foreach (var (name, value) in arguments.ToList()) arguments[name] = ScrubbedValue(value);
                if (connection.Scrub(call.Name) is var callName && callName == call.Name) return call;
                return new FunctionCallContent(call.CallId, callName, call.Arguments)
                {
                    InformationalOnly = call.InformationalOnly,
                    Exception = call.Exception,
                    AdditionalProperties = call.AdditionalProperties,
                    RawRepresentation = call.RawRepresentation,
                };
            case FunctionResultContent result:
                result.Result = ScrubbedValue(result.Result);
                return result;
            default:
                return content;
        }
    }

    private object? ScrubbedValue(object? value) => value switch
    {
        string text => connection.Scrub(text),
        System.Text.Json.JsonElement json => connection.Scrub(json),
        _ => value,
    };

    /// <summary>The same failure, its words scrubbed; null when they hold no secret (the exception goes on as it is).</summary>
    private Exception? Scrubbed(Exception e)
    {
        if (connection.Scrub(e.Message) is var message && message == e.Message && e is not ClaudeCodeException) return null;
        return e switch
        {
            ProviderException p => new ProviderException(p.Kind, message, p.Status, p.RequestId, p.RetryAfter),
            ClaudeCodeException c => new ClaudeCodeException(message)
            {
                ResultSubtype = c.ResultSubtype,
                ResultText = c.ResultText is null ? null : connection.Scrub(c.ResultText),
                ApiErrorStatus = c.ApiErrorStatus,
                ExitCode = c.ExitCode,
                StderrTail = c.StderrTail is null ? null : connection.Scrub(c.StderrTail),
            },
            OperationCanceledException => null,
            _ => new ProviderException(ProviderErrorKind.ServerError, message),
        };
    }

    /// <summary>One stream of text: scrubbed as it comes, less a tail that could be the start of a secret.</summary>
    private sealed class HeldText(ProviderConnection connection)
    {
        private string _held = "";

        /// <summary>What can be shown of the text so far, scrubbed.</summary>
        public string Push(string delta)
        {
            var text = _held + delta;
            var cut = Cut(text, connection.SecretsNow());
            _held = text[cut..];
            return connection.Scrub(text[..cut]);
        }

        /// <summary>What was held, scrubbed: the text ended without the secret it might have started.</summary>
        public string Flush()
        {
            var rest = _held.Length == 0 ? "" : connection.Scrub(_held);
            _held = "";
            return rest;
        }

        /// <summary>
        /// Where the text can be cut: before the longest end that begins a secret (a whole shorter form may begin a
        /// longer one: base64 before its padding), and never inside a whole secret that the held end would split.
        /// </summary>
        private static int Cut(string text, ProviderSecrets secrets)
        {
            // Most text ends with nothing a secret begins with: nothing is held, and no whole secret can be split.
            if (secrets.FirstPossibleStart(text) < 0) return text.Length;
            var forms = secrets.AllForms;
            var cut = text.Length - HeldLength(text, forms);
            for (var moved = cut < text.Length; moved;)
            {
                moved = false;
                foreach (var form in forms)
                {
                    for (var at = text.IndexOf(form, StringComparison.Ordinal); at >= 0 && at < cut; at = text.IndexOf(form, at + 1, StringComparison.Ordinal))
                    {
                        if (at + form.Length <= cut) continue;
                        cut = at;
                        moved = true;
                    }
                }
            }
            return cut;
        }

        /// <summary>The longest end of <paramref name="text"/> that begins some form of a secret without completing it.</summary>
        private static int HeldLength(string text, IReadOnlyList<string> forms)
        {
            var longest = 0;
            foreach (var form in forms)
            {
                for (var start = Math.Max(0, text.Length - form.Length + 1); start < text.Length - longest; start++)
                {
                    if (text[start] != form[0] || !form.AsSpan().StartsWith(text.AsSpan(start), StringComparison.Ordinal)) continue;
                    longest = text.Length - start;
                    break;
                }
            }
            return longest;
        }
    }
}
