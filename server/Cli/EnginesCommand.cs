using System.CommandLine;
using System.Text.Json.Nodes;
using Plue.Protocol;

namespace Plue.Cli;

/// <summary><c>plue engines list|add|test</c>: the Docker engines tasks may run in (<c>docker-engine</c> records).</summary>
internal static class EnginesCommand
{
    private const string TemplateId = "docker-engine";
    private const string Local = "local";
    private const string Host = "host";
    private const string Context = "context";

    public static Command Create(CliGlobals globals) => new("engines", "Manage the Docker engines tasks may run in")
    {
        List(globals),
        Add(globals),
        Test(globals),
        RunnerImage(globals),
    };

    private static Command List(CliGlobals globals)
    {
        var command = new Command("list", "List the Docker engines: name and where each is reached");
        globals.SetAction(command, async run =>
        {
            var all = await ListAsync(run.Sidecar).ConfigureAwait(false);
            return run.Show(all, Contract.CodexList.ResultType, page =>
            {
                if (page.Items.Count == 0)
                {
                    run.Terminal.Line("No Docker engines yet: add this machine's with `plue engines add Local`, or another with --host or --context.");
                    return;
                }
                var table = new CliTable("name", "connection", "where");
                foreach (var r in page.Items) table.AddRow(r.Title, Field(r, "connection") ?? Local, Where(r));
                table.Write(run.Terminal);
            });
        });
        return command;
    }

    /// <summary>Where the engine is, as the user set it (a local one: DOCKER_HOST's or the system socket, decided when reached).</summary>
    private static string Where(CodexRecord r) => Field(r, "connection") switch
    {
        Host => Field(r, "host") + (Field(r, "tls_ca") is not null ? " (TLS)" : ""),
        Context => $"Docker context {Field(r, "context")}",
        _ => "DOCKER_HOST, else the system socket",
    } + (IsSwarm(r) ? $"; a swarm pulling from {Field(r, "registry")}" : "");

    private static bool IsSwarm(CodexRecord r) => r.Fields["swarm"] is JsonValue value && value.TryGetValue<bool>(out var swarm) && swarm;

    private static string? Field(CodexRecord r, string name) =>
        r.Fields[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    private static Command Add(CliGlobals globals)
    {
        var name = new Argument<string>("name") { Description = "The engine's name, for example Local or Build box" };
        var host = new Option<string?>("--host") { Description = "Its address as DOCKER_HOST writes it: unix:///path/docker.sock, tcp://host:2376 or ssh://user@host", HelpName = "address" };
        var context = new Option<string?>("--context") { Description = "A Docker context by name (docker context ls)", HelpName = "name" };
        var ca = new Option<string?>("--tls-ca") { Description = "A tcp:// engine's CA certificate (ca.pem): a full path or a vault:// reference", HelpName = "file" };
        var cert = new Option<string?>("--tls-cert") { Description = "The client certificate (cert.pem): a full path or a vault:// reference", HelpName = "file" };
        var key = new Option<string?>("--tls-key") { Description = "The client key (key.pem): a full path or, better, a vault:// reference", HelpName = "file" };
        var swarm = new Option<bool>("--swarm") { Description = "A Docker Swarm: the address is a manager's, and sub-tasks sent there run as swarm jobs (needs --registry)" };
        var registry = new Option<string?>("--registry") { Description = "The registry the swarm's nodes pull from, as host[:port]: Plue pushes its runner image there", HelpName = "host[:port]" };
        var command = new Command("add", "Add a Docker engine: this machine's (no option), one at an address (--host) or a Docker context (--context); a swarm's manager with --swarm and --registry")
        {
            name, host, context, ca, cert, key, swarm, registry,
        };
        globals.SetAction(command, async run =>
        {
            var fields = new JsonObject();
            var (givenHost, givenContext) = (run.Parse.GetValue(host), run.Parse.GetValue(context));
            if (givenHost is not null && givenContext is not null)
                throw new CliError("Give --host or --context, not both.", CliError.Usage);
            fields["connection"] = givenHost is not null ? Host : givenContext is not null ? Context : Local;
            if (givenHost is not null) fields["host"] = givenHost;
            if (givenContext is not null) fields["context"] = givenContext;
            foreach (var (field, option) in new[] { ("tls_ca", ca), ("tls_cert", cert), ("tls_key", key) })
            {
                if (run.Parse.GetValue(option) is not { } value) continue;
                if (givenHost is null) throw new CliError("The TLS files are for an engine at a tcp:// --host.", CliError.Usage);
                // A relative path is the user's: made full here, where the user typed it.
                fields[field] = value.StartsWith("vault://", StringComparison.Ordinal) ? value : Path.GetFullPath(value);
            }
            if (run.Parse.GetValue(swarm)) fields["swarm"] = true;
            if (run.Parse.GetValue(registry) is { } givenRegistry)
            {
                if (!run.Parse.GetValue(swarm)) throw new CliError("--registry is for a swarm: add --swarm.", CliError.Usage);
                fields["registry"] = givenRegistry;
            }
            var created = await Refused(() => run.Sidecar.CallAsync(Contract.CodexCreate, new CodexDraft
            {
                TemplateId = TemplateId,
                Title = run.Parse.GetValue(name)!,
                Fields = fields,
            })).ConfigureAwait(false);
            return run.Show(created, Contract.CodexCreate.ResultType,
                _ => run.Terminal.Line($"Added the engine {created.Title}. Try `plue engines test \"{created.Title}\"`.", "green"));
        });
        return command;
    }

    private static Command Test(CliGlobals globals)
    {
        var name = new Argument<string>("engine") { Description = "The engine's name (as `plue engines list` shows it), slug or id" };
        var command = new Command("test", "Reach the engine: says its version, OS and architecture, and whether it can mount the workspace") { name };
        globals.SetAction(command, async run =>
        {
            var engine = await FindAsync(run.Sidecar, run.Parse.GetValue(name)!).ConfigureAwait(false);
            var result = await run.Sidecar.CallAsync(Contract.EnginesTest, new IdParams { Id = engine.Id }, run.Cancellation).ConfigureAwait(false);
            if (run.Json) CliJson.Write(run.Terminal.Out, result, Contract.EnginesTest.ResultType);
            else if (result.Ok) run.Terminal.Line($"{result.Engine} works: Docker {result.Version} (API {result.ApiVersion}), {result.Os}/{result.Arch}, {Swarm(result.Swarm)}{Mount(result.CanMountWorkspace)}; {result.LatencyMs} ms", "green");
            else run.Terminal.Error.WriteLine($"plue: {result.Error}");
            return result.Ok ? 0 : CliError.Failed;
        });
        return command;
    }

    /// <summary>
    /// Builds a swarm engine's runner image for its nodes' architectures and pushes it to its registry, ahead of the
    /// swarm's first sub-task; says each image and whether it was pushed now or was there already.
    /// </summary>
    private static Command RunnerImage(CliGlobals globals)
    {
        var name = new Argument<string>("engine") { Description = "The swarm engine's name" };
        var image = new Option<string?>("--image") { Description = "The base image; default: the workspace's devcontainer image, else debian:bookworm-slim", HelpName = "image" };
        var command = new Command("runner-image", "Build a swarm's runner image (the base image with Plue added) and push it to its registry, once") { name, image };
        globals.SetAction(command, async run =>
        {
            var engine = await FindAsync(run.Sidecar, run.Parse.GetValue(name)!).ConfigureAwait(false);
            var result = await run.Sidecar.CallAsync(Contract.EnginesRunnerImage, new EngineRunnerImageParams { Id = engine.Id, Image = run.Parse.GetValue(image) }, run.Cancellation).ConfigureAwait(false);
            if (run.Json) CliJson.Write(run.Terminal.Out, result, Contract.EnginesRunnerImage.ResultType);
            else if (result.Ok)
            {
                foreach (var built in result.Images)
                    run.Terminal.Line($"{(built.Pushed ? "Pushed" : "Already in the registry:")} {built.Image} ({built.Architecture})", "green");
            }
            else run.Terminal.Error.WriteLine($"plue: {result.Error}");
            return result.Ok ? 0 : CliError.Failed;
        });
        return command;
    }

    /// <summary>A swarm's manager's word on its nodes, before the mount's.</summary>
    private static string Swarm(EngineSwarm? swarm) => swarm is null ? ""
        : $"a swarm manager with {swarm.ReadyNodes}/{swarm.Nodes} nodes ready ({string.Join(", ", swarm.Architectures)}), pulling from {swarm.Registry}, ";

    private static string Mount(bool? can) => can switch
    {
        true => "can mount the workspace",
        false => "cannot mount the workspace (its tasks get a copy)",
        null => "mounting the workspace not tried (it has no image yet)",
    };

    private static Task<CodexListResult> ListAsync(CliSidecar sidecar) =>
        sidecar.CallAsync(Contract.CodexList, new CodexListParams { TemplateId = TemplateId, Sort = "titleAsc", Limit = 200 });

    /// <summary>The engine record called <paramref name="name"/> (its id, name or slug), or a usage error naming those there are.</summary>
    internal static async Task<CodexRecord> FindAsync(CliSidecar sidecar, string name)
    {
        var all = (await ListAsync(sidecar).ConfigureAwait(false)).Items;
        return all.FirstOrDefault(r => r.Id == name)
            ?? all.FirstOrDefault(r => string.Equals(r.Title, name, StringComparison.OrdinalIgnoreCase))
            ?? all.FirstOrDefault(r => string.Equals(r.Slug, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new CliError($"No Docker engine is called '{name}'. " + (all.Count == 0
                ? "None is added yet: `plue engines add Local` adds this machine's."
                : $"Known: {string.Join(", ", all.Select(r => r.Title))} (`plue engines list`)."), CliError.Usage);
    }

    /// <summary>A refused record told by the options that set its fields (tls_ca: --tls-ca).</summary>
    private static Task<T> Refused<T>(Func<Task<T>> create) => CliRefused.Fields(create, field => "--" + field.Replace('_', '-'));
}
