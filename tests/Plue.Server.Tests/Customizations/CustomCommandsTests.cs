using Plue.Customizations;

namespace Plue.Tests.Customizations;

/// <summary>A command typed as <c>/name args</c>: the name found, the body with the arguments put in, its tools as Plue's.</summary>
public sealed class CustomCommandsTests
{
    [Theory]
    [InlineData("Fix $1 then $2; all: $ARGUMENTS", "a.ts \"the tests\"", "Fix a.ts then the tests; all: a.ts \"the tests\"")]
    [InlineData("Only $1 and [$3]", "one", "Only one and []")]
    [InlineData("No placeholder", "keep me", "No placeholder\n\nkeep me")]
    [InlineData("No placeholder", "", "No placeholder")]
    [InlineData("Cost $5 is $ARGUMENTS", "x", "Cost  is x")]
    public void Expand_PutsTheArgumentsIn_AndLosesNone(string body, string arguments, string expected) =>
        Assert.Equal(expected, CustomCommands.Expand(body, arguments));

    [Theory]
    [InlineData("/review src/a.ts", "review", "src/a.ts")]
    [InlineData("  /deploy.prod", "deploy.prod", "")]
    [InlineData("/fix\nline two", "fix", "line two")]
    public void Typed_ReadsTheNameAndTheRest(string text, string name, string arguments) =>
        Assert.Equal((name, arguments), CustomCommands.Typed(text));

    [Theory]
    [InlineData("no slash")]
    [InlineData("/")]
    [InlineData("a /review")]
    public void Typed_IsNullForAMessageThatIsNoCommand(string text) => Assert.Null(CustomCommands.Typed(text));

    [Fact]
    public void PlueTools_MapsClaudeAndCopilotNames_AndGrantsNothingForUnknownOnes() =>
        Assert.Equal(["read", "search", "bash", "edit", "mcp__github__search"],
            CustomCommands.PlueTools(["Read", "Grep", "Glob", "Bash(git diff:*)", "editFiles", "mcp__github__search", "WebFetch"]));
}
