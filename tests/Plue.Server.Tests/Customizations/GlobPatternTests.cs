using Plue.Customizations;

namespace Plue.Tests.Customizations;

/// <summary>The globs of applyTo and globs, matched against folder-relative paths as the peers match them.</summary>
public sealed class GlobPatternTests
{
    [Theory]
    [InlineData("**/*.py", "src/app.py", true)]
    [InlineData("**/*.py", "app.py", true)]
    [InlineData("**/*.py", "src/app.pyc", false)]
    [InlineData("*.py", "deep/down/app.py", true)]
    [InlineData("src/**/*.ts", "src/a/b.ts", true)]
    [InlineData("src/**/*.ts", "src/b.ts", true)]
    [InlineData("src/**/*.ts", "web/src/b.ts", false)]
    [InlineData("src/*.ts", "src/a/b.ts", false)]
    [InlineData("**/*.{ts,tsx}", "web/x.tsx", true)]
    [InlineData("**/*.{ts,tsx}", "web/x.js", false)]
    [InlineData("/docs/", "docs/a/b.md", true)]
    [InlineData("./docs/*.md", "docs/a.md", true)]
    [InlineData("te?t.md", "test.md", true)]
    [InlineData("a.b", "axb", false)]
    public void Matches_AsThePeersRead(string glob, string path, bool matches) =>
        Assert.Equal(matches, GlobPattern.Compile(glob).Matches(path));

    [Fact]
    public void Parse_CommasOutsideBraces_SplitAString()
    {
        var field = FrontMatter.Parse("---\nglobs: src/**/*.ts, **/*.{js,jsx}\n---\n").Find("globs");

        Assert.Equal(["src/**/*.ts", "**/*.{js,jsx}"], GlobPattern.Parse(field).Select(g => g.Text));
    }

    [Theory]
    [InlineData("**", true)]
    [InlineData("**/*", true)]
    [InlineData("**/*.md", false)]
    public void MatchesAll_OnlyForEveryFile(string glob, bool all) => Assert.Equal(all, GlobPattern.Compile(glob).MatchesAll);
}
