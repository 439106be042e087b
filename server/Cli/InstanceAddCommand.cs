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
            // The template in use says which providers it offers and where each field applies: told now, before the key is asked.
            var template = await run.Sidecar.CallAsync(Contract.TemplatesGet, new IdParams { Id = "llm-provider" }).ConfigureAwait(false);
            CheckAgainst(template, entry, new Dictionary<string, object?>
            {
                ["--endpoint"] = run.Parse.GetValue(endpoint), ["--model"] = run.Parse.GetValue(model), ["--program"] = run.Parse.GetValue(program),
                ["--arg"] = run.Parse.GetValue(args) is { Length: > 0 } a ? a : null, ["--env"] = run.Parse.GetValue(env) is { Length: > 0 } e ? e : null,
                ["--key-env"] = run.Parse.GetValue(key.FromEnvironment), ["--key-stdin"] = run.Parse.GetValue(key.FromStdin) ? true : null,
            });
            var keyApplies = Applies(template, "api_key_ref", entry.Id);
            var displayName = run.Parse.GetValue(name) ?? entry.Name;
            var apiKey = run.Parse.GetValue(noKey) || !keyApplies ? null : key.Read(run.Parse, run.Terminal, $"API key for {displayName} (empty for none): ");
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

    /// <summary>
    /// Refuses a provider the template in use does not offer, and an option whose field the template applies only to other
    /// providers (the design notes' template gives the endpoint to ollama alone): the user's options, never a field dropped.
    /// </summary>
    private static void CheckAgainst(TemplateDetail template, CatalogProviderSummary entry, Dictionary<string, object?> given)
    {
        var providerField = template.Fields.FirstOrDefault(f => f.Name == "catalog_provider_id") ?? template.Fields.FirstOrDefault(f => f.Name == "provider_type");
        if (providerField?.Options is { Count: > 0 } options && !options.Any(o => o.Value == entry.Id))
            throw new CliError($"Your provider template offers {string.Join(", ", options.Select(o => o.Value))}, not {entry.Id}: pick one of those, or change the template.", CliError.Usage);
        foreach (var (option, value) in given)
        {
            if (value is null) continue;
            var fieldNames = option.StartsWith("--key", StringComparison.Ordinal) ? ["api_key_ref"] : Options.Where(o => o.Value == option).Select(o => o.Key).ToList();
            if (template.Fields.FirstOrDefault(f => fieldNames.Contains(f.Name)) is not { Conditional: { } condition }) continue;
            if ((string?)condition["field"] != ProviderFieldOf(template) || Holds(condition["value"], entry.Id)) continue;
            var applies = condition["value"] is System.Text.Json.Nodes.JsonArray any ? string.Join(", ", any.Select(v => (string?)v)) : (string?)condition["value"];
            throw new CliError($"{option}: your provider template applies it only to {applies}, not to {entry.Id}: leave it out, or add a provider it applies to.", CliError.Usage);
        }
    }

    /// <summary>The template's name for the instance's provider: the shipped catalog_provider_id, else the design notes' provider_type.</summary>
    private static string ProviderFieldOf(TemplateDetail template) =>
        template.Fields.Any(f => f.Name == "catalog_provider_id") || !template.Fields.Any(f => f.Name == "provider_type") ? "catalog_provider_id" : "provider_type";

    /// <summary>Whether the template applies the field to the provider (a field it lacks does not apply; one with no condition always does).</summary>
    private static bool Applies(TemplateDetail template, string field, string provider) =>
        template.Fields.FirstOrDefault(f => f.Name == field) is { } spec
        && (spec.Conditional is not { } c || (string?)c["field"] != ProviderFieldOf(template) || Holds(c["value"], provider));

    private static bool Holds(System.Text.Json.Nodes.JsonNode? value, string provider) =>
        value is System.Text.Json.Nodes.JsonArray any ? any.Any(v => (string?)v == provider) : (string?)value == provider;

    /// <summary>A refused field is said by its option ("--program: 'x' was not found …"), not by the record's field name.</summary>
    private static Task<T> Refused<T>(Func<Task<T>> create) =>
        CliRefused.Fields(create, field => Options.TryGetValue(field, out var option) ? option : field.Replace('_', ' '));
}
