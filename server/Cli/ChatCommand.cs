using System.CommandLine;
using Plue.Protocol;

namespace Plue.Cli;

/// <summary>
/// <c>plue chat [session]</c>: an interactive chat, new or continued from the store, streamed as it comes. Ctrl+C
/// stops the answer (a second one, or one at the prompt, leaves); /model, /mode, /start, /fork, /regenerate, /cost, /help, /exit.
/// </summary>
internal static class ChatCommand
{
    private const string Help = "/model <id> [instance]  change the model · /mode <name>  Ask, Agent, Plan or yours · /start  carry out the plan · " +
        "/fork  a copy of this chat to go another way · " +
        "/regenerate  answer the last question again · /cost  tokens and cost so far · /exit  leave (or Ctrl+D)";

    public static Command Create(CliGlobals globals)
    {
        var name = new Argument<string?>("session") { Description = "A chat to continue (its id, the start of it, or its title); default: a new one", Arity = ArgumentArity.ZeroOrOne };
        var instance = new Option<string?>("--instance", "-i") { Description = "The provider instance for a new chat", HelpName = "name" };
        var model = new Option<string?>("--model", "-m") { Description = "The model for a new chat", HelpName = "model" };
        var system = new Option<string?>("--system") { Description = "A system prompt for a new chat", HelpName = "text" };
        var mode = new Option<string?>("--mode") { Description = "The chat's mode: Ask, Agent, Plan (reads only, ends with a plan; /start carries it out) or one of yours", HelpName = "mode" };
        var command = new Command("chat", "Chat interactively; the chat is kept in the store (VS Code shows it under User Chats). " + Help)
        {
            name, instance, model, system, mode,
        };
        globals.SetAction(command, async run =>
        {
            var chat = new CliChat(run);
            if (run.Parse.GetValue(name) is { } existing) await chat.OpenAsync(existing).ConfigureAwait(false);
            else await chat.NewAsync(run.Parse.GetValue(instance), run.Parse.GetValue(model), run.Parse.GetValue(system)).ConfigureAwait(false);
            if (run.Parse.GetValue(mode) is { } named) await chat.ModeAsync(named).ConfigureAwait(false);
            run.Terminal.Line(Help, "grey");
            var editor = new CliLineEditor(run.Terminal);
            while (true)
            {
                run.Interrupt.Idle();
                var line = editor.Read(run.Terminal.Colours ? "\u001b[1m>\u001b[0m " : "> ");
                if (line is null || line.Trim() is "/exit" or "/quit") return 0;
                if (line.Trim().Length == 0) continue;
                await chat.HandleAsync(line.Trim(), run.Interrupt.Renew()).ConfigureAwait(false);
            }
        });
        return command;
    }
}
