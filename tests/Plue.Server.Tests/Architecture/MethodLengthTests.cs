using System.Text.RegularExpressions;

namespace Plue.Tests.Architecture;

/// <summary>
/// Methods stay short enough to read: the sidecar has fewer methods over 50 lines than the 32 it had when the turn engine
/// was built (issue 70, at 8e11457), and none over 80 outside a parser, whose one loop reads a grammar or a wire stream.
/// A method's length is its lines from its signature to its closing brace (or the end of its expression after <c>=&gt;</c>).
/// </summary>
public sealed partial class MethodLengthTests
{
    private const int Long = 50;
    private const int TooLong = 80;
    private const int LongMethodsBefore = 32;

    /// <summary>The parsers' loops: JSON5's reader, and the providers' streams, each one switch over the wire's events.</summary>
    private static readonly string[] s_parsers = ["Codex/Json5/Json5Parser.cs", "Providers/AnthropicChatClient.cs"];

    [Fact]
    public void LongMethods_AreFewerThanBefore()
    {
        var longOnes = Methods().Where(m => m.Lines > Long).ToList();
        Assert.True(longOnes.Count < LongMethodsBefore,
            $"{longOnes.Count} methods have over {Long} lines (fewer than {LongMethodsBefore} is the bound): split one\n" + string.Join("\n", longOnes.Select(m => m.Where)));
    }

    [Fact]
    public void NoMethod_IsOver80LinesOutsideAParser()
    {
        var tooLong = Methods().Where(m => m.Lines > TooLong && !s_parsers.Contains(m.File)).ToList();
        Assert.True(tooLong.Count == 0, $"methods over {TooLong} lines outside a parser: split them\n" + string.Join("\n", tooLong.Select(m => m.Where)));
    }

    [Fact]
    public void TheCounter_MeasuresABody()
    {
        string[] source =
        [
            "    public int Add(int a, int b)",
            "    {",
            "        var sum = a + b;",
            "        return sum;",
            "    }",
            "    private static string Name(Kind kind) => kind switch",
            "    {",
            "        Kind.A => \"a\",",
            "    };",
        ];
        Assert.Equal([5, 4], Measure("x.cs", source).Select(m => m.Lines));
    }

    private sealed record Method(string File, int Line, int Lines)
    {
        public string Where => $"  server/{File}:{Line}: {Lines} lines";
    }

    private static IEnumerable<Method> Methods() => TurnEngineTests.ServerFiles().SelectMany(f => Measure(f.Relative, f.Lines));

    private static IEnumerable<Method> Measure(string file, string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            if (Signature().Match(lines[i]) is not { Success: true } signature || TypeDeclaration().IsMatch(lines[i].Split('(')[0])) continue;
            var indent = signature.Groups[1].Value;
            var end = i;
            while (end < lines.Length - 1 && !lines[end].TrimEnd().EndsWith(')') && !lines[end].Contains('{', StringComparison.Ordinal)
                   && !lines[end].Contains("=>", StringComparison.Ordinal) && !lines[end].TrimEnd().EndsWith(';')) end++;
            var open = end + 1;
            while (open < lines.Length && (lines[open].TrimStart().StartsWith("where ", StringComparison.Ordinal) || lines[open].TrimStart().StartsWith(':'))) open++;
            if (lines[end].Contains("=>", StringComparison.Ordinal) || (open < lines.Length && lines[open].TrimStart().StartsWith("=>", StringComparison.Ordinal)))
            {
                var last = end;
                while (last < lines.Length - 1 && !lines[last].TrimEnd().EndsWith(';')) last++;
                yield return new Method(file, i + 1, last - i + 1);
                i = last;
            }
            else if (open < lines.Length && lines[open] == indent + "{")
            {
                var close = open + 1;
                while (close < lines.Length && lines[close] != indent + "}") close++;
                yield return new Method(file, i + 1, close - i + 1);
                i = close;
            }
        }
    }

    /// <summary>A member declared with modifiers and a parameter list: a method, a constructor, a local function with modifiers.</summary>
    [GeneratedRegex(@"^(\s*)((public|private|internal|protected|static|async|override|virtual|sealed|partial|unsafe|extern|readonly)\s+)+[^=;]*?\b\w+(<[^>]*>)?\s*\(")]
    private static partial Regex Signature();

    [GeneratedRegex(@"\b(class|record|struct|interface|enum|delegate)\b")]
    private static partial Regex TypeDeclaration();
}
