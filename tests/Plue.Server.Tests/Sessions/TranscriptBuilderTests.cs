using Microsoft.Extensions.AI;
using Plue.Protocol;
using Plue.Sessions;
using Plue.Transcripts;

namespace Plue.Tests.Sessions;

/// <summary>Which stored messages and parts a model is sent again, and how attachments read.</summary>
public sealed class TranscriptBuilderTests
{
    private static SessionMessage Message(int seq, MessageRole role, MessageStatus status, params MessagePart[] parts) => new()
    {
        Id = $"m{seq}", SessionId = "s", Seq = seq, Role = role, Status = status, Parts = [.. parts], CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void Build_ReplaysFinishedMessages_SkipsStreamingSupersededAndEmptyOnes_AndSignedReasoningOnly()
    {
        var history = TranscriptBuilder.Build([
            Message(0, MessageRole.User, MessageStatus.Complete, new TextPart { Id = "a", Text = "Question" }, new TextPart { Id = "b", Text = "" }),
            Message(1, MessageRole.Assistant, MessageStatus.Superseded, new TextPart { Id = "c", Text = "Old answer" }),
            Message(2, MessageRole.Assistant, MessageStatus.Interrupted,
                new ReasoningPart { Id = "d", Text = "Signed thought", Signature = "sig" }, new ReasoningPart { Id = "e", Text = "Unsigned thought" },
                new ToolUsePart { Id = "f", ToolCallId = "c1", Name = "read" }, new TextPart { Id = "g", Text = "Half an answer" }),
            Message(3, MessageRole.Assistant, MessageStatus.Error, new StepPart { Id = "h", FinishReason = "error" }),
            Message(4, MessageRole.Assistant, MessageStatus.Streaming, new TextPart { Id = "i", Text = "Still streaming" }),
        ]);

        Assert.Equal([ChatRole.User, ChatRole.Assistant], history.Select(m => m.Role));
        Assert.Equal("Question", Assert.IsType<TextContent>(Assert.Single(history[0].Contents)).Text);
        var reasoning = Assert.IsType<TextReasoningContent>(history[1].Contents[0]);
        Assert.Equal(("Signed thought", "sig"), (reasoning.Text, reasoning.ProtectedData));
        Assert.Equal("Half an answer", Assert.IsType<TextContent>(Assert.Single(history[1].Contents.Skip(1))).Text);
    }

    [Fact]
    public void Build_BlankTextIsNeverSent_AnAnswerOfBlankTextIsLeftOut_AndACallGoesAlone()
    {
        // Anthropic refuses a text block of whitespace; stored, it would fail every later turn of the chat or task.
        var chat = TranscriptBuilder.Build([
            Message(0, MessageRole.User, MessageStatus.Complete, new TextPart { Id = "a", Text = " \n" }, new FilePart { Id = "b", Path = "pixel.png", MimeType = "image/png", Content = "iVBORw0KGgo=" }),
            Message(1, MessageRole.Assistant, MessageStatus.Complete, new TextPart { Id = "c", Text = "\n\n" }),
            Message(2, MessageRole.User, MessageStatus.Complete, new TextPart { Id = "d", Text = "Again?" }),
        ]);
        var task = ToolTranscript.Build([
            Message(0, MessageRole.User, MessageStatus.Complete, new TextPart { Id = "e", Text = "Go" }, new TextPart { Id = "f", Text = "  " }),
            Message(1, MessageRole.Assistant, MessageStatus.Complete,
                new TextPart { Id = "g", Text = "\n" }, new ToolUsePart { Id = "h", ToolCallId = "c1", Name = "read" }, new ToolResultPart { Id = "i", ToolCallId = "c1", Output = "text" }),
        ]);

        Assert.Equal([ChatRole.User, ChatRole.User], chat.Select(m => m.Role));
        Assert.IsType<DataContent>(Assert.Single(chat[0].Contents));
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool], task.Select(m => m.Role));
        Assert.Equal("Go", task[0].Text);
        Assert.IsType<FunctionCallContent>(Assert.Single(task[1].Contents));
    }

    [Fact]
    public void Build_AStoredMessageIsMadeOnce_AndWrittenOnce_AChangedOneAnew_WithTheSameBytesAsAFreshMessage()
    {
        // A long chat's turn must not build or write its history again: the same stored messages give the same model
        // messages, whose request JSON is written the first time only; a message changed in the store (a new record)
        // makes a new one. Whatever is kept must be byte for byte what a fresh message writes.
        SessionMessage[] transcript = [
            Message(0, MessageRole.User, MessageStatus.Complete, new TextPart { Id = "a", Text = "Question \"ünï\" </script>" },
                new FilePart { Id = "p", Path = "pixel.png", MimeType = "image/png", Content = Convert.ToBase64String([1, 2, 3]) }),
            Message(1, MessageRole.Assistant, MessageStatus.Complete, new ReasoningPart { Id = "r", Text = "Thought", Signature = "sig" },
                new TextPart { Id = "b", Text = "Answer" }, new TextPart { Id = "c", Text = " and more" }),
            Message(2, MessageRole.User, MessageStatus.Complete, new FilePart { Id = "f", Path = "notes.md", Content = "Notes" }),
        ];
        var first = TranscriptBuilder.Build(transcript);
        var again = TranscriptBuilder.Build(transcript);
        var edited = transcript[1] with { Parts = [new TextPart { Id = "b", Text = "Edited" }] };
        var afterEdit = TranscriptBuilder.Build([transcript[0], edited, transcript[2]]);

        Assert.Equal(first, again);
        Assert.All(first.Zip(again), pair => Assert.Same(pair.First, pair.Second));
        Assert.Same(first[0], afterEdit[0]);
        Assert.NotSame(first[1], afterEdit[1]);
        Assert.Equal("Edited", afterEdit[1].Text);

        var profile = Plue.Providers.OpenAICompatibleProfile.For("openai");
        string Body(IEnumerable<ChatMessage> messages) =>
            System.Text.Encoding.UTF8.GetString(Plue.Providers.Transform.OpenAITransform.BuildRequest(messages, null, "m", profile, stream: true).ToArray());
        var fresh = Body(first.Select(m => new ChatMessage(m.Role, [.. m.Contents])));
        string Anthropic(IEnumerable<ChatMessage> messages) =>
            System.Text.Encoding.UTF8.GetString(Plue.Providers.Transform.AnthropicTransform.BuildRequest([.. messages], null, "m", stream: true).ToArray());
        var freshAnthropic = Anthropic(first.Select(m => new ChatMessage(m.Role, [.. m.Contents])));
        Assert.Equal(fresh, Body(first));
        Assert.Equal(fresh, Body(again));
        Assert.Equal(freshAnthropic, Anthropic(first));
        Assert.Equal(freshAnthropic, Anthropic(again));
        foreach (var format in Enum.GetValues<Plue.Providers.Transform.WireFormat>())
            Assert.All(first, m => Assert.True(Kept(m, format) > "[]".Length));
        Assert.Contains("\"content\":\"Edited\"", Body(afterEdit), StringComparison.Ordinal);
        Assert.Contains("\"text\":\"Edited\"", Anthropic(afterEdit), StringComparison.Ordinal);
    }

    /// <summary>How many bytes a stored message's kept JSON takes; writing it again throws.</summary>
    private static int Kept(ChatMessage message, Plue.Providers.Transform.WireFormat format)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            Plue.Providers.Transform.StoredChatMessage.Write(w, message, format, (_, _) => throw new InvalidOperationException("written again"));
            w.WriteEndArray();
        }
        return buffer.WrittenCount;
    }

    [Fact]
    public void Attachment_ASelectionNamesItsLines_AndTextWithFencesGetsALongerFence()
    {
        var selection = AttachedFile.Text(new FilePart
        {
            Id = "", Path = "README.md", Content = "```sh\nmake\n```", Language = "markdown", Range = new LineRange(3, 5),
        });
        var file = AttachedFile.Text(new FilePart { Id = "", Path = "a.txt", Content = "plain" });

        Assert.Equal("Attached selection README.md:3-5:\n~~~~markdown\n```sh\nmake\n```\n~~~~", selection);
        Assert.Equal("Attached file a.txt:\n```\nplain\n```", file);
    }

    [Fact]
    public void Build_SendsAUsersImageAsData_AndAFileAsText()
    {
        var history = TranscriptBuilder.Build([
            Message(0, MessageRole.User, MessageStatus.Complete,
                new FilePart { Id = "p", Path = "pixel.png", MimeType = "image/png", Content = Convert.ToBase64String([1, 2, 3]) },
                new FilePart { Id = "f", Path = "notes.md", Content = "Notes" }),
        ]);

        var contents = Assert.Single(history).Contents;
        var image = Assert.IsType<DataContent>(contents[0]);
        Assert.Equal("image/png", image.MediaType);
        Assert.Equal([1, 2, 3], image.Data.ToArray());
        Assert.Contains("Attached file notes.md", Assert.IsType<TextContent>(contents[1]).Text);
    }
}
