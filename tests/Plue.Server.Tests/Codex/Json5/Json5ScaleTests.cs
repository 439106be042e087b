using System.Text;
using Plue.Codex.Json5;

namespace Plue.Tests.Codex.Json5;

/// <summary>Shapes that would be quadratic in a naive parser; their speed is measured by the bench (codex suite).</summary>
public class Json5ScaleTests
{
    [Fact]
    public void Parse_ManyDuplicateKeys_StaysLinear()
    {
        // {k0:{},...,kN:{}, k0:{},...,kN:{}}: each duplicate must not rescan the document.
        var builder = new StringBuilder("{");
        for (int pass = 0; pass < 3; pass++)
        {
            for (int i = 0; i < 30_000; i++)
                builder.Append('k').Append(i).Append(":{a:[1]},");
        }
        string text = builder.Append('}').ToString();

        var doc = Json5Parser.Parse(text);

        Assert.Equal(30_000, doc.Root!.AsObject().Count);
        Assert.Equal(1 + (30_000 * 3), doc.Positions.Count);
    }
}
