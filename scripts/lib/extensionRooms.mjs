// The extension's rooms and what each may import: the one table eslint.config.mjs turns into `no-restricted-imports`
// rules, and tests/node/extensionRooms.test.mjs checks against ARCHITECTURE.md's table ("The extension") and the code.
// A room is a folder of extension/src; the composition root (plue.ts, extension.ts) may import every room.

/** room → the other rooms its files may import (`../room/…`); a room always imports its own files. */
export const rooms = {
  sidecar: ['shared'],
  shared: [],
  panel: ['sidecar', 'approvals', 'shared'],
  approvals: ['sidecar', 'shared'],
  chat: ['panel', 'approvals', 'providers', 'mcp', 'settings', 'shared', 'sidecar'],
  tasks: ['panel', 'approvals', 'providers', 'mcp', 'settings', 'shared', 'sidecar'],
  settings: ['sidecar', 'panel', 'shared'],
  languageModels: ['sidecar', 'shared'],
  providers: ['settings', 'sidecar', 'shared'],
  mcp: ['settings', 'sidecar', 'shared'],
  permissions: ['tasks', 'sidecar', 'shared'],
  channels: ['chat', 'tasks', 'approvals', 'sidecar', 'shared'],
  status: ['sidecar', 'shared'],
  templates: ['sidecar', 'shared'],
  customizations: ['settings', 'sidecar', 'shared'],
  walkthrough: ['chat', 'tasks', 'providers', 'sidecar', 'shared'],
};

/** What a forbidden import of `room` is told: the rooms it may import, and where the rule is written. */
export function roomMessage(room) {
  const allowed = rooms[room].map((r) => `${r}/`);
  return `${room}/ imports only ${allowed.length ? allowed.join(', ') : 'its own files'} (ARCHITECTURE.md, The extension): move what both need to the room that owns it.`;
}

/** shared/ is bundled by the webview too: no vscode, no node. */
const hostModules = {
  paths: [{ name: 'vscode', message: 'shared/ is loaded by the webview: no vscode.' }],
  patterns: [{ regex: '^(vscode-|node:)', message: 'shared/ is loaded by the webview: no vscode or node modules.' }],
};

/** The flat-config entries: one per room, forbidding any `../x` that is not the room itself or a room it may import. */
export function roomRules() {
  return Object.keys(rooms).map((room) => {
    const open = [room, ...rooms[room]].join('|');
    const outside = { regex: `^\\.\\./(?!(?:${open})/)`, message: roomMessage(room) };
    const options = room === 'shared'
      ? { paths: hostModules.paths, patterns: [...hostModules.patterns, outside] }
      : { patterns: [outside] };
    return { files: [`extension/src/${room}/**/*.ts`], rules: { 'no-restricted-imports': ['error', options] } };
  });
}
