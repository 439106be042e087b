using Plue.Codex.References;

namespace Plue.Tests.Codex.References;

public sealed class ReferenceTests
{
    [Theory]
    [InlineData("codex://providers/my-openai", "providers", "my-openai")]
    [InlineData("codex://chats/a1", "chats", "a1")]
    [InlineData("codex://tasks/fix-ci-2", "tasks", "fix-ci-2")]
    [InlineData("codex://prompts/default-assistant.md", "prompts", "default-assistant.md")]
    [InlineData("codex://prompts/team/review_v2.md", "prompts", "team/review_v2.md")]
    public void Parse_ValidReference(string text, string collection, string name)
    {
        Assert.True(CodexReference.TryParse(text, out var reference, out _));
        Assert.Equal((collection, name), (reference.Collection, reference.Name));
        Assert.Equal(text, reference.ToString());
    }

    [Theory]
    [InlineData("codex://prompts/../secrets.md", "'..'")]
    [InlineData("codex://prompts/team/../../etc/passwd.md", "'..'")]
    [InlineData("codex://prompts/%2e%2e/x.md", "encoded characters")]
    [InlineData("codex://prompts/%2E%2E%2Fx.md", "encoded characters")]
    [InlineData("codex:///etc/passwd", "absolute paths")]
    [InlineData("codex://prompts/..\\x.md", "backslashes")]
    [InlineData("codex://prompts/./x.md", "'..', '.'")]
    [InlineData("codex://prompts//x.md", "empty segments")]
    [InlineData("codex://prompts/x.md?raw", "queries")]
    [InlineData("codex://prompts/notes.txt", "<name>.md")]
    [InlineData("codex://providers/My Provider", "slug")]
    [InlineData("codex://Providers/x", "collection")]
    [InlineData("codex://providers", "codex://<collection>/<name>")]
    [InlineData("http://providers/x", "not a codex:// reference")]
    [InlineData("codex://prompts/a\u0000.md", "control characters")]
    public void Parse_UnsafeOrMalformed_IsRefusedWithAClearReason(string text, string reason)
    {
        Assert.False(CodexReference.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Theory]
    [InlineData("vault://anthropic/api-key", true)]
    [InlineData("vault://openrouter/work.key_2", true)]
    [InlineData("vault://anthropic/../openai/api-key", false)]
    [InlineData("vault://anthropic", false)]
    [InlineData("vault://a/b/c", false)]
    [InlineData("vault://%61/b", false)]
    [InlineData("codex://anthropic/api-key", false)]
    public void VaultReference_IsParsedHere(string text, bool valid)
    {
        Assert.Equal(valid, VaultReference.TryParse(text, out var reference, out var error));
        if (valid) Assert.Equal(text, reference.ToString());
        else Assert.NotEmpty(error);
    }
}
