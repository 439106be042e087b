using Plue.Bench;

// Benchmarks of the real sidecar process. Usage: plue-bench rpc|catalog|chat [--deltas-only]|tasks --sidecar path/to/plue.dll, plue-bench codex --repo <root>,
// or plue-bench providers (the HTTP backends' per-delta cost, in process)
// or plue-bench claude [--claude path/to/claude] (the Claude Code CLI against a loopback fake model),
// or plue-bench cli --sidecar path/to/plue.dll [--claude path/to/claude] (`plue ask` vs `claude -p`, spawn to first byte and to exit).
var sidecar = args.SkipWhile(a => a != "--sidecar").Skip(1).FirstOrDefault();
var suite = args.FirstOrDefault() ?? "rpc";
if (suite == "codex")
{
    CodexBench.Run(args.SkipWhile(a => a != "--repo").Skip(1).FirstOrDefault() ?? Directory.GetCurrentDirectory());
    return 0;
}
if (suite == "providers")
{
    await ProvidersBench.RunAsync();
    return 0;
}
if (suite == "claude")
    return await ClaudeBench.RunAsync(args.SkipWhile(a => a != "--claude").Skip(1).FirstOrDefault());
if (sidecar is null || !File.Exists(sidecar))
{
    Console.Error.WriteLine("usage: plue-bench rpc|catalog|chat|tasks --sidecar path/to/plue.dll (publish it first: scripts/bench.sh does)");
    return 2;
}
switch (suite)
{
    case "rpc":
        await RpcBench.RunAsync(sidecar);
        return 0;
    case "catalog":
        await CatalogBench.RunAsync(sidecar);
        return 0;
    case "chat":
        await ChatBench.RunAsync(sidecar, args.Contains("--deltas-only"));
        return 0;
    case "tasks":
        await TasksBench.RunAsync(sidecar);
        return 0;
    case "cli":
        return await CliBench.RunAsync(sidecar, args.SkipWhile(a => a != "--claude").Skip(1).FirstOrDefault());
    default:
        Console.Error.WriteLine($"unknown suite '{suite}'; known: rpc, catalog, chat, tasks, cli, codex, providers, claude");
        return 2;
}
