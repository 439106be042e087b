// A command in a real pseudo-terminal (a detached tmux session): keys sent with send-keys, the screen read with
// capture-pane. The command's environment is given with -e, not the test's.
'use strict';
const { execFileSync } = require('node:child_process');

function tmux(...args) {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

/** Starts `command` (an argv) in a new 120×40 session; prints "EXITED <code>" when it ends and keeps the pane. */
function inTerminal(command, env) {
  const name = `plue-cli-${process.pid}-${Date.now()}`;
  const vars = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const quoted = command.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '40', ...vars, `${quoted}; echo EXITED $?; sleep 600`);
  const screen = () => tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', name);
  return {
    screen,
    send: (...keys) => tmux('send-keys', '-t', name, ...keys),
    type: (text) => tmux('send-keys', '-t', name, '-l', text),
    /** Resolves with the screen once `pattern` is on it. */
    async waitFor(pattern, timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const text = screen();
        if (pattern.test(text)) return text;
        if (Date.now() > until) throw new Error(`timed out waiting for ${pattern} on the screen:\n${text}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    close: () => { try { tmux('kill-session', '-t', name); } catch { /* already gone */ } },
  };
}

module.exports = { inTerminal };
