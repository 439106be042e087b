using System.Diagnostics;
using Plue.ContractGen;

// npm run contract: writes the generated files. npm run contract:check (--check): writes them to a temporary folder
// instead and fails, naming each stale file and showing its diff, when the checked-in copy differs.
var check = args.Contains("--check");
var root = ContractGenerator.FindRoot(Directory.GetCurrentDirectory());
var clock = Stopwatch.StartNew();
var contract = ContractReader.Read();
var files = ContractGenerator.Generate(root, contract);
var summary = $"{contract.Types.Count} types, {contract.Methods.Count} methods, {contract.ErrorCodes.Count} error codes in {clock.ElapsedMilliseconds} ms";

if (!check)
{
    ContractGenerator.Write(root, files);
    Console.WriteLine($"contract: wrote {string.Join(" and ", files.Select(f => f.Path))}: {summary}");
    return 0;
}

var stale = ContractGenerator.Stale(root, files);
if (stale.Count == 0)
{
    Console.WriteLine($"contract: {string.Join(" and ", files.Select(f => f.Path))} are up to date ({summary})");
    return 0;
}
var fresh = Path.Combine(Path.GetTempPath(), "plue-contract-" + Environment.ProcessId);
ContractGenerator.Write(fresh, stale);
foreach (var file in stale)
{
    Console.Error.WriteLine($"contract: {file.Path} is stale: run `npm run contract` and commit the result.");
    ShowDiff(Path.Combine(root, file.Path), Path.Combine(fresh, file.Path));
}
Directory.Delete(fresh, recursive: true);
return 1;

// git shows the diff when it is there; the message above says what to do either way.
static void ShowDiff(string checkedIn, string generated)
{
    try
    {
        using var git = Process.Start(new ProcessStartInfo("git", ["diff", "--no-index", "--no-color", "--", checkedIn, generated]) { UseShellExecute = false });
        git?.WaitForExit();
    }
    catch (System.ComponentModel.Win32Exception)
    {
        Console.Error.WriteLine("(git is not on the PATH: no diff shown)");
    }
}
