using System.CommandLine;
using Plue.Protocol;

namespace Plue.Cli;

/// <summary><c>plue instances add &lt;provider&gt;</c>: a new instance of a catalog provider, its key straight into the vault.</summary>
internal static class InstanceAddCommand
{
    public static Command Create(CliGlobals globals)
    {
        var provider = new Argument<string>("provider") { Description = "The catalog provider's id (`plue providers` lists them), e.g. anthropic, openai, ollama" };
        var name = new Option<string?>("--name") { Description = "The instance's name (default: the provider's name)", HelpName = "name" };
        var endpoint = new Option<string?>("--endpoint") { Description = "The base URL, when not the catalog's (a proxy, a local server)", HelpName = "url" };
        var model = new Option<string?>("--model", "-m") { Description = "The default model for chats and tasks", HelpName = "model" };
        var noKey = new Option<bool>("--no-key") { Description = "Do not ask for a key (a local server, or set it later with `plue instances key`)" };
        var program = new Option<string?>("--program") { Description = "An ACP agent's command (claude-code-acp, gemini, cline), or the claude CLI's path", HelpName = "command" };
        var args = new Option<string[]>("--arg") { Description = "An argument of the ACP agent's command (repeat for each, e.g. --arg=--experimental-acp)", HelpName = "argument", AllowMultipleArgumentsPerToken = false };
        var env = new Option<string[]>("--env") { Description = "NAME=value for the ACP agent's environment (repeat for each); a key as NAME=vault://<provider>/<key>", HelpName = "NAME=value" };
        var key = new CliKey();
        var command = new Command("add", "Add a provider instance; the key is typed without echo (or --key-env / --key-stdin) and kept in the encrypted vault")
        {
            provider, name, endpoint, model, noKey, program, args, env,
        };
        key.AddTo(command);
        globals.SetAction(command, async run =>
        {
            var providers = await run.Sidecar.CallAsync(Contract.CatalogList, new EmptyParams()).ConfigureAwait(false);
            var id = run.Parse.GetValue(provider)!;
            var entry = providers.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase) || string.Equals(p.Name, id, StringComparison.OrdinalIgnoreCase))
                ?? throw new CliError($"No provider '{id}' in the catalog: `plue providers` lists them.", CliError.Usage);
            var displayName = run.Parse.GetValue(name) ?? entry.Name;
            var apiKey = run.Parse.GetValue(noKey) ? null : key.Read(run.Parse, run.Terminal, $"API key for {displayName} (empty for none): ");
            var created = await Refused(() => run.Sidecar.CallAsync(Contract.InstancesCreate, new CreateInstanceParams
            {
                DisplayName = displayName,
                CatalogProviderId = entry.Id,
                Endpoint = run.Parse.GetValue(endpoint),
                DefaultModel = run.Parse.GetValue(model),
                ApiKey = apiKey,
                CliPath = run.Parse.GetValue(program),
                CliArgs = run.Parse.GetValue(args),
                CliEnv = run.Parse.GetValue(env),
            })).ConfigureAwait(false);
            return InstancesCommand.Done(run, created, $"Added {created.DisplayName} ({entry.Name}); key: {InstancesCommand.KeyText(created)}. Try `plue instances test \"{created.DisplayName}\"`.");
        });
        return command;
    }

    /// <summary>The record's fields as the options that set them, so a refusal names what the user typed.</summary>
    private static readonly Dictionary<string, string> Options = new(StringComparer.Ordinal)
    {
        ["cli_path"] = "--program", ["cli_args"] = "--arg", ["cli_env"] = "--env", ["endpoint"] = "--endpoint",
        ["default_model"] = "--model", ["model"] = "--model", ["display_name"] = "--name",
    };

    /// <summary>A refused field is said by its option ("--program: 'x' was not found …"), not by the record's field name.</summary>
    private static async Task<T> Refused<T>(Func<Task<T>> create)
    {
        try
        {
            return await create().ConfigureAwait(false);
        }
        catch (Rpc.RpcException e) when (e.Code == Rpc.ErrorCodes.InvalidParams && e.Detail is { ValueKind: System.Text.Json.JsonValueKind.Object } detail
            && detail.TryGetProperty("fields", out var fields) && fields.ValueKind == System.Text.Json.JsonValueKind.Object)
        {
            var said = fields.EnumerateObject().Select(f => $"{(Options.TryGetValue(f.Name, out var option) ? option : f.Name.Replace('_', ' '))}: {f.Value.GetString()}");
            throw new CliError(string.Join("; ", said), CliError.Usage);
        }
    }
}
