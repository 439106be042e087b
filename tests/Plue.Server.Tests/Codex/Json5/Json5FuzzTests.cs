using System.Text;
using Plue.Codex.Json5;

namespace Plue.Tests.Codex.Json5;

/// <summary>
/// Cheap mutation fuzzing (no FsCheck): seeded, so failures reproduce. Any outcome other than a
/// result or a Json5Exception with a sane position is a bug.
/// </summary>
public class Json5FuzzTests
{
    // Characters that sit on grammar edges: delimiters, escapes, number parts, odd whitespace,
    // surrogates, line terminators.
    private const string Interesting = "{}[]:,'\"\\/*+-.0123456789eExXuIN \t\n\r\v\f\u00A0\uFEFF\u2028\u2029\u3000\uD800\uDC00\u0301\u200C_$aZ\0";

    [Fact]
    public void Parse_MutatedSuiteInputs_OnlyJson5ExceptionOrSuccess()
    {
        var seeds = Json5Fixtures.AllFiles().Where(Json5Fixtures.IsCase).Select(Json5Fixtures.ReadCase).ToList();
        var random = new Random(20240601);
        var options = new Json5Options { MaxDepth = 8 };
        int parsed = 0, rejected = 0;

        for (int iteration = 0; iteration < 4000; iteration++)
        {
            string input = Mutate(seeds[random.Next(seeds.Count)], random);
            try
            {
                var doc = Json5Parser.Parse(input, iteration % 4 == 0 ? options : null);
                Assert.Contains("", doc.Positions.Keys);
                parsed++;
            }
            catch (Json5Exception ex)
            {
                rejected++;
                int lines = input.Split(["\r\n", "\r", "\n"], StringSplitOptions.None).Length;
                Assert.True(ex.Line >= 1 && ex.Line <= lines && ex.Column >= 1, $"bad position in '{ex.Message}' for input {Escape(input)}");
            }
            catch (Exception ex)
            {
                Assert.Fail($"iteration {iteration}: {ex.GetType().Name}: {ex.Message} for input {Escape(input)}");
            }
        }

        // Both outcomes must actually occur, or the mutations are not exercising anything.
        Assert.True(parsed > 100 && rejected > 100, $"parsed {parsed}, rejected {rejected}");
    }

    [Fact]
    public void Parse_RandomNoise_OnlyJson5ExceptionOrSuccess()
    {
        var random = new Random(7);
        for (int iteration = 0; iteration < 2000; iteration++)
        {
            var builder = new StringBuilder();
            int length = random.Next(1, 40);
            for (int i = 0; i < length; i++)
            {
                builder.Append(random.Next(4) == 0
                    ? (char)random.Next(0, 0x10000)
                    : Interesting[random.Next(Interesting.Length)]);
            }
            string input = builder.ToString();
            try
            {
                Json5Parser.Parse(input);
            }
            catch (Json5Exception)
            {
            }
            catch (Exception ex)
            {
                Assert.Fail($"iteration {iteration}: {ex.GetType().Name}: {ex.Message} for input {Escape(input)}");
            }
        }
    }

    private static string Mutate(string seed, Random random)
    {
        var text = new StringBuilder(seed);
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits; e++)
        {
            int at = text.Length == 0 ? 0 : random.Next(text.Length);
            switch (random.Next(6))
            {
                case 0 when text.Length > 0: // delete a char
                    text.Remove(at, 1);
                    break;
                case 1: // insert an interesting char
                    text.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                case 2 when text.Length > 0: // replace with an interesting char
                    text[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 3: // truncate
                    text.Length = at;
                    break;
                case 4 when text.Length > 0: // duplicate a slice (nests, repeats keys)
                    int length = random.Next(1, Math.Min(20, text.Length - at) + 1);
                    text.Insert(at, text.ToString(at, length));
                    break;
                default: // insert an arbitrary UTF-16 unit
                    text.Insert(at, (char)random.Next(0, 0x10000));
                    break;
            }
        }
        return text.ToString();
    }

    private static string Escape(string input)
    {
        var builder = new StringBuilder("\"");
        foreach (char c in input)
            builder.Append(c is >= ' ' and < '\u007F' and not '"' and not '\\' ? c.ToString() : $"\\u{(int)c:X4}");
        return builder.Append('"').ToString();
    }
}
