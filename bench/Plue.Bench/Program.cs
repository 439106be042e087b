using Plue.Bench;

// Benchmarks of the real sidecar process. Usage: plue-bench [speed|rpc|chat] [--short] --sidecar path/to/plue --floor path/to/plue-floor
// [--floor-aot path/to/aot/plue-floor] [--compare path/to/another/plue] [--writer path/to/sse-writer] (each figure against its floors, one table; a program is an executable or a dll), plue-bench catalog|tasks --sidecar path/to/plue.dll, plue-bench codex --repo <root>,
// or plue-bench providers (the HTTP backends' per-delta cost, in process), plue-bench sandbox (a sandboxed bash call beside bwrap's floor and the call unsandboxed)
// or plue-bench claude [--claude path/to/claude] (the Claude Code CLI against a loopback fake model),
// or plue-bench list [--short] --sidecar path/to/plue (codex/list beside raw SQLite, alone, held to its budget),
// or plue-bench containers [--short] --sidecar path/to/plue --repo <root> (tasks in containers on a private Docker engine, beside docker run),
// or plue-bench swarm [--short] --sidecar path/to/plue --repo <root> (sub-tasks as jobs on a 3-engine Docker Swarm, beside docker service create … true),
// or plue-bench cli --sidecar path/to/plue.dll [--claude path/to/claude] (`plue ask` vs `claude -p`, spawn to first byte and to exit).
var sidecar = args.SkipWhile(a => a != "--sidecar").Skip(1).FirstOrDefault();
var floor = args.SkipWhile(a => a != "--floor").Skip(1).FirstOrDefault();
var floorAot = args.SkipWhile(a => a != "--floor-aot").Skip(1).FirstOrDefault();
var compare = args.SkipWhile(a => a != "--compare").Skip(1).FirstOrDefault();
var writer = args.SkipWhile(a => a != "--writer").Skip(1).FirstOrDefault();
var suite = args.FirstOrDefault() is { } first && !first.StartsWith("--", StringComparison.Ordinal) ? first : "speed";
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
if (suite == "sandbox")
{
    // Needs no sidecar: the launcher's command for one bash call, beside bubblewrap's floor and the call unsandboxed.
    var sandboxFigures = new Figures();
    Console.WriteLine($"plue bench sandbox: {Environment.ProcessorCount} cores, {Stats.Load()} at the start");
    await SandboxBench.AddFiguresAsync(sandboxFigures, args.Contains("--short"));
    sandboxFigures.Print(Console.Out);
    return 0;
}
if (suite == "claude")
    return await ClaudeBench.RunAsync(args.SkipWhile(a => a != "--claude").Skip(1).FirstOrDefault());
if (sidecar is null || !File.Exists(sidecar))
{
    Console.Error.WriteLine("usage: plue-bench speed|rpc|chat|catalog|tasks --sidecar path/to/plue.dll (publish it first: scripts/bench.sh does)");
    return 2;
}
if (suite is "speed" or "rpc" or "chat")
{
    if (floor is null || !File.Exists(floor))
    {
        Console.Error.WriteLine("usage: plue-bench speed|rpc|chat --sidecar path/to/plue.dll --floor path/to/plue-floor.dll (scripts/bench.sh publishes both)");
        return 2;
    }
    if (floorAot is not null && !File.Exists(floorAot))
    {
        Console.Error.WriteLine($"--floor-aot {floorAot} does not exist (scripts/bench.sh publishes it)");
        return 2;
    }
    if (compare is not null && !File.Exists(compare))
    {
        Console.Error.WriteLine($"--compare {compare} does not exist");
        return 2;
    }
    if (writer is not null && !File.Exists(writer))
    {
        Console.Error.WriteLine($"--writer {writer} does not exist (scripts/bench.sh builds it from bench/fake-writer)");
        return 2;
    }
    var targets = new BenchTargets(sidecar, floor, floorAot, args.Contains("--short"), compare, writer, args.SkipWhile(a => a != "--repo").Skip(1).FirstOrDefault());
    var figures = new Figures();
    Console.WriteLine($"plue bench{(targets.Short ? " (short)" : "")}: {Environment.ProcessorCount} cores, {Stats.Load()} at the start");
    // scripts/bench.sh says how both were published, so a figure is read against the build users get.
    Console.WriteLine($"sidecar and floor: {Environment.GetEnvironmentVariable("PLUE_BENCH_BUILD") ?? "as given by --sidecar and --floor"}");
    if (suite != "chat") await RpcBench.RunAsync(targets, figures);
    if (suite != "rpc") await ChatBench.RunAsync(targets, figures);
    if (suite == "speed")
    {
        await ClaudeTurnFigures.AddAsync(targets, figures);
        await CliBench.AddFiguresAsync(targets, figures);
        await SandboxBench.AddFiguresAsync(figures, targets.Short);
        await ContainerBench.AddFiguresAsync(targets, figures);
    }
    figures.Print(Console.Out);
    // The whole table (the speed suite) is held to the performance budget: a figure past its budget fails the run.
    return suite == "speed" && Budgets.Check(figures.Rows, Console.Out) > 0 ? 1 : 0;
}
switch (suite)
{
    case "list":
        // codex/list's figure alone, beside its floor: what a change to the codex/list path is measured with.
        var listFigures = new Figures();
        var listHome = Directory.CreateTempSubdirectory("plue-bench-list-").FullName;
        await using (var listSidecar = await ChatSidecar.StartAsync(sidecar, listHome, "http://127.0.0.1:9/v1"))
            await CodexListFigures.AddAsync(new BenchTargets(sidecar, sidecar, null, args.Contains("--short")), listFigures, listSidecar, listHome);
        Directory.Delete(listHome, recursive: true);
        listFigures.Print(Console.Out);
        // Held to its budget as the speed suite holds it: a quick check of a change to the codex/list path.
        return Budgets.Check(listFigures.Rows, Console.Out, ["codex/list"]) > 0 ? 1 : 0;
    case "containers":
        // The container rows alone (tasks in containers on a private engine), as the speed suite measures them.
        var containerFigures = new Figures();
        Console.WriteLine($"plue bench containers{(args.Contains("--short") ? " (short)" : "")}: {Environment.ProcessorCount} cores, {Stats.Load()} at the start");
        await ContainerBench.AddFiguresAsync(new BenchTargets(sidecar, sidecar, null, args.Contains("--short"), Repo: args.SkipWhile(a => a != "--repo").Skip(1).FirstOrDefault()), containerFigures);
        containerFigures.Print(Console.Out);
        return 0;
    case "swarm":
        // Sub-tasks as jobs on a swarm of three engines (the Native AOT sidecar is also the runner image's plue).
        var swarmFigures = new Figures();
        Console.WriteLine($"plue bench swarm{(args.Contains("--short") ? " (short)" : "")}: {Environment.ProcessorCount} cores, {Stats.Load()} at the start");
        await SwarmBench.AddFiguresAsync(new BenchTargets(sidecar, sidecar, null, args.Contains("--short"), Repo: args.SkipWhile(a => a != "--repo").Skip(1).FirstOrDefault()), swarmFigures);
        swarmFigures.Print(Console.Out);
        return 0;
    case "catalog":
        await CatalogBench.RunAsync(sidecar);
        return 0;
    case "tasks":
        await TasksBench.RunAsync(sidecar);
        return 0;
    case "cli":
        return await CliBench.RunAsync(sidecar, args.SkipWhile(a => a != "--claude").Skip(1).FirstOrDefault());
    default:
        Console.Error.WriteLine($"unknown suite '{suite}'; known: speed, rpc, chat, list, containers, swarm, catalog, tasks, cli, codex, providers, claude, sandbox");
        return 2;
}
