using Plue.Customizations;

namespace Plue.Tests.Customizations;

/// <summary>
/// The front matter of the peers' Markdown files, read tolerantly (a byte order mark, CRLF, trailing spaces, quotes,
/// lists, folded text, a nested block), and what it cannot read told with the file's line.
/// </summary>
public sealed class FrontMatterTests
{
    [Fact]
    public void Parse_BomCrlfAndTrailingSpaces_ReadAsAnyOther()
    {
        var front = FrontMatter.Parse("\uFEFF---  \r\nname: pdf-tools   \r\ndescription: \"Fill PDF forms\"  \r\n---\r\n# Body\r\nline two\r\n");

        Assert.Equal(["name", "description"], front.Fields.Select(f => f.Key));
        Assert.Equal("pdf-tools", front.Text("name"));
        Assert.Equal("Fill PDF forms", front.Text("description"));
        Assert.Equal(3, front.Find("description")!.Line);
        Assert.Equal("# Body\nline two\n", front.Body);
    }

    [Fact]
    public void Parse_ListsFoldedTextAndNestedBlocks()
    {
        var front = FrontMatter.Parse("""
            ---
            tools: [Read, "Grep", 'Bash(git:*)']
            globs:
              - "**/*.ts"
              - src/**
            description: >
              Writes the changelog
              line.
            body: |
              one
              two
            metadata:
              author: me
            alwaysApply: true # a comment
            empty:
            ---
            text
            """);

        Assert.Equal(["Read", "Grep", "Bash(git:*)"], front.Find("tools")!.Items);
        Assert.Equal(["**/*.ts", "src/**"], front.Find("globs")!.Items);
        Assert.Equal("Writes the changelog line.", front.Text("description"));
        Assert.Equal("one\ntwo", front.Text("body"));
        Assert.Equal("author: me", front.Text("metadata"));
        Assert.Equal("true", front.Text("alwaysApply"));
        Assert.Equal("", front.Text("empty"));
        Assert.Equal("text", front.Body);
    }

    [Fact]
    public void Parse_CommentAfterAQuotedValue_IsLeftOut()
    {
        var front = FrontMatter.Parse("---\napplyTo: \"**/*.py\" # Python only\nname: 'it''s # not a comment'\n---\n");

        Assert.Equal("**/*.py", front.Text("applyTo"));
        Assert.Equal("it's # not a comment", front.Text("name"));
    }

    [Fact]
    public void Parse_NoFrontMatter_AllBody()
    {
        var front = FrontMatter.Parse("# Title\n---\nnot: front matter\n");

        Assert.Empty(front.Fields);
        Assert.Equal("# Title\n---\nnot: front matter\n", front.Body);
    }

    [Theory]
    [InlineData("---\nname: x\nthis is not a field\n---\n", 3, "'this is not a field' is not a field: write key: value")]
    [InlineData("---\nname: x\ndescription: y\n", 1, "the front matter opened with --- is never closed: end it with a line of ---")]
    [InlineData("---\nname: x\nname: y\n---\n", 3, "'name' is given twice: keep one")]
    [InlineData("---\n  name: x\n---\n", 2, "an indented line belongs to no field: start each field at the line's beginning as key: value")]
    [InlineData("---\r\nname: x\r\ntools: [a, b\r\n---\r\n", 3, "the list of 'tools' opens with [ and does not close: end it with ]")]
    [InlineData("---\ndescription: \"unclosed\n---\n", 2, "the value \"unclosed opens a quote it does not close")]
    [InlineData("---\nurl:https://x\n---\n", 2, "'url:https://x' is not a field: write key: value")]
    [InlineData("---\nname: x\n  indented: under a value\n---\n", 3, "an indented line under 'name', which already has a value on its line: indent nothing, or put the value below")]
    public void Parse_Unreadable_SaysWhatAndTheLine(string text, int line, string message)
    {
        var e = Assert.Throws<FrontMatterException>(() => FrontMatter.Parse(text));

        Assert.Equal(line, e.Line);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Parse_BomWithoutFrontMatter_DropsTheMark()
    {
        Assert.Equal("# Agents\n", FrontMatter.Parse("\uFEFF# Agents\r\n").Body);
    }
}
