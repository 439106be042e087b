using System.CommandLine;
using System.Globalization;

namespace Plue.Cli;

/// <summary>
/// The <c>--spend-cap</c> option: an amount in dollars. What is not one is told in words that say what to type, never
/// in the parser's own (which names .NET types).
/// </summary>
internal static class CliSpendCap
{
    public static Option<decimal?> Create(string description) => new("--spend-cap")
    {
        Description = description,
        HelpName = "usd",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var usd)) return usd;
            result.AddError($"--spend-cap takes an amount in dollars, such as 5 or 2.50; '{text}' is not one.");
            return null;
        },
    };
}
