// A fake language model (vendor "plue-test", model "echo-model") that answers "You said: <last user text>" in two
// parts, or a tool call when asked to and given tools; and a command that asks Plue's models (vendor "plue").
const vscode = require('vscode');

let lastRequest;

function lastUserText(messages) {
  const user = [...messages].reverse().find(m => m.role === vscode.LanguageModelChatMessageRole.User);
  return (user?.content ?? []).filter(p => p instanceof vscode.LanguageModelTextPart).map(p => p.value).join('');
}

function activate(context) {
  const model = { id: 'echo-model', name: 'Echo Model', family: 'echo', version: '1', maxInputTokens: 8000, maxOutputTokens: 1000, capabilities: { toolCalling: true } };
  context.subscriptions.push(vscode.lm.registerLanguageModelChatProvider('plue-test', {
    provideLanguageModelChatInformation: () => [model],
    provideLanguageModelChatResponse: async (_model, messages, options, progress) => {
      const text = lastUserText(messages);
      lastRequest = { text, messageCount: messages.length, tools: (options.tools ?? []).map(t => t.name) };
      if (text.includes('use a tool') && options.tools?.length) {
        progress.report(new vscode.LanguageModelToolCallPart('call_echo', options.tools[0].name, { path: 'README.md' }));
        return;
      }
      progress.report(new vscode.LanguageModelTextPart('You said: '));
      progress.report(new vscode.LanguageModelTextPart(text.split('\n').pop()));
    },
    provideTokenCount: async (_model, text) => (typeof text === 'string' ? text.length : 1),
  }));
  context.subscriptions.push(
    vscode.commands.registerCommand('plueLmFixture.lastRequest', () => lastRequest),
    vscode.commands.registerCommand('plueLmFixture.askPlue', async (family, prompt) => {
      const models = await vscode.lm.selectChatModels({ vendor: 'plue' });
      const chosen = models.find(m => m.family === family);
      if (!chosen) return { models: models.map(m => `${m.family} (${m.id})`), text: undefined };
      const response = await chosen.sendRequest([vscode.LanguageModelChatMessage.User(prompt)], {});
      let text = '';
      for await (const piece of response.text) text += piece;
      return { models: models.map(m => `${m.family} (${m.id})`), text, name: chosen.name };
    }),
  );
}

module.exports = { activate };
