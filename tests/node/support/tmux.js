// A command in a real pseudo-terminal (a detached tmux session): keys sent with send-keys, the screen read with
// capture-pane. The command's environment is given with -e, not the test's. A shell runs it and prints
// "[exited N]" when it ends (130 after Ctrl+C): tmux's own "Pane is dead" misses some exits of multi-threaded
// programs here (the pane's process stays a zombie until another child exits). The shell traps SIGINT with a
// handler, not by ignoring it, so the command gets Ctrl+C as it would on its own (exec resets handled signals).
'use strict';
const { execFileSync } = require('node:child_process');

// A tmux server of this test process's own (-L): others on the machine may start and kill theirs.
const socket = `plue-cli-test-${process.pid}`;

function tmux(...args) {
  return execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
}

/** Starts `command` (an argv) in `cwd` in a new 120×40 session. */
function inTerminal(command, env, cwd) {
  const name = `plue-cli-${Date.now()}`;
  tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '40', 'sleep 600');
  const vars = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const quoted = command.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `trap : INT; ${quoted}; echo "[exited $?]"; exec sleep 600`;
  tmux('respawn-pane', '-k', '-t', name, '-c', cwd, ...vars, script);
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
    close: () => { try { tmux('kill-server'); } catch { /* already gone */ } },
  };
}

module.exports = { inTerminal };
