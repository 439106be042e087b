// A workspace folder and a user home holding every layout docs/CUSTOMIZATIONS.md lists, with the files that must be
// ignored (a bad front matter, an unknown field, a missing required field, an over-long skill name, a link leading
// outside, a file over its cap, a file that cannot be read, a shadowed duplicate) and the ones a tolerant reader must
// take (a BOM, CRLF line ends, trailing spaces), made in a temp dir.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const longSkill = 'a'.repeat(70);

function write(root, relative, text) {
  const file = path.join(root, ...relative.split('/'));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const skill = (name, description = `The ${name} skill.`) => `---\nname: ${name}\ndescription: ${description}\n---\n# ${name}\n\nSteps.\n`;

/** Returns {base, workspace, home, outside}: the temp dir, the workspace folder, the home and a file outside both. */
function makeCustomizationsFixture() {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-customizations-'));
  const workspace = path.join(base, 'workspace');
  const home = path.join(base, 'home');
  const outside = write(base, 'elsewhere/SKILL.md', skill('escape'));
  const w = (relative, text) => write(workspace, relative, text);
  const h = (relative, text) => write(home, relative, text);

  // Instructions.
  w('AGENTS.md', '# Rules\n\nUse tabs.\n');
  w('src/AGENTS.md', '# src rules\n');
  w('CLAUDE.md', '# Claude\n');
  w('pkg/CLAUDE.md', '# pkg\n');
  w('GEMINI.md', '# Gemini\n');
  w('.github/copilot-instructions.md', '# Copilot\n');
  w('.github/instructions/python.instructions.md', '---  \r\napplyTo: "**/*.py"   \r\ndescription: Python style  \r\n---\r\nUse type hints.\r\n');
  w('.github/instructions/broken.instructions.md', '---\napplyTo: "**/*.ts"\nthis is not a field\n---\nBody.\n');
  w('.github/instructions/huge.instructions.md', `---\napplyTo: "**"\n---\n${'x'.repeat(70 * 1024)}\n`);
  w('.cursor/rules/always.mdc', '---\ndescription: House rules\nglobs:\nalwaysApply: true\n---\nBe brief.\n');
  w('.cursor/rules/typo.mdc', '---\nglob: "*.ts"\n---\nTypes.\n');
  w('.clinerules/style.md', '# Cline style\n');
  w('.plue/rules/house.md', '# House\n');
  // Skills.
  w('.claude/skills/pdf-tools/SKILL.md', skill('pdf-tools', 'Fill and read PDF forms.'));
  w(`.claude/skills/${longSkill}/SKILL.md`, skill(longSkill));
  w('.claude/skills/Wrong/SKILL.md', skill('wrong'));
  w('.agents/skills/pdf-tools/SKILL.md', skill('pdf-tools', 'A second PDF skill.'));
  w('.agents/skills/review/SKILL.md', skill('review'));
  w('.github/skills/changelog/SKILL.md', `---\nname: changelog\ndescription: >\n  Writes the changelog\n  line.\nmetadata:\n  author: me\n  version: "1"\n---\nBody.\n`);
  w('.opencode/skills/deploy/SKILL.md', skill('deploy'));
  fs.mkdirSync(path.join(workspace, '.codex/skills/escape'), { recursive: true });
  fs.symlinkSync(outside, path.join(workspace, '.codex/skills/escape/SKILL.md'));
  // Commands.
  w('.claude/commands/fix-issue.md', '---\ndescription: Fix an issue\nallowed-tools: [Bash, Edit]\nargument-hint: <number>\n---\nFix issue $ARGUMENTS.\n');
  w('.github/prompts/explain.prompt.md', "---\nmode: 'agent'\ndescription: Explain the code\ntools: ['codebase']\n---\nExplain.\n");
  w('.opencode/command/test.md', '---\ndescription: Run the tests\nagent: build\n---\nRun them.\n');
  w('.opencode/commands/lint.md', 'Lint everything.\n');
  // A file that cannot be read: a named pipe (opened without waiting, and refused as not a regular file).
  execFileSync('mkfifo', [path.join(workspace, '.claude', 'commands', 'pipe.md')]);
  // Agents: one with a byte order mark, as Claude Code once ignored.
  w('.claude/agents/reviewer.md', '\uFEFF---\nname: reviewer\ndescription: Reviews diffs\ntools: Read, Grep\nmodel: sonnet\n---\nYou review.\n');
  w('.claude/agents/broken.md', '---\nname: broken\ntools: Read\n---\nNo description.\n');
  w('.github/agents/planner.agent.md', '---\ndescription: Plans work\ntools: [search]\n---\nYou plan.\n');
  w('.github/chatmodes/tutor.chatmode.md', '---\ndescription: Teaches\n---\nYou teach.\n');
  // Agent hooks.
  w('.claude/settings.json', JSON.stringify({ permissions: {}, hooks: {
    PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: './check.sh' }] }],
    BeforeAll: [{ hooks: [{ type: 'command', command: 'true' }] }],
  } }, null, 2));
  w('.codex/hooks.json', JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: 'command', command: 'notify-send done' }] }] } }));
  // MCP servers: the args and the URL's user, password and query carry secrets that must never be shown.
  w('.vscode/mcp.json', '// servers\n' + JSON.stringify({ servers: { files: { command: 'node', args: ['server.js', '--token', 'secret-abc'] } } }, null, 2));
  w('.mcp.json', JSON.stringify({ mcpServers: { docs: { url: 'https://user:pw-secret@mcp.example.com/mcp?key=secret-q' }, files: { command: 'npx' } } }));
  w('.cursor/mcp.json', '{\n  "mcpServers": {\n    "empty": {}\n  },\n  oops\n}\n');

  // The user's home: the twins.
  h('.claude/CLAUDE.md', '# Mine\n');
  h('.codex/AGENTS.md', '# Codex mine\n');
  h('.gemini/GEMINI.md', '# Gemini mine\n');
  h('.claude/skills/pdf-tools/SKILL.md', skill('pdf-tools', 'My own PDF skill.'));
  h('.claude/skills/notes/SKILL.md', skill('notes'));
  h('.agents/skills/translate/SKILL.md', skill('translate'));
  h('.copilot/skills/summarize/SKILL.md', skill('summarize'));
  h('.config/opencode/skills/release/SKILL.md', skill('release'));
  h('.codex/skills/triage/SKILL.md', skill('triage'));
  h('.claude/commands/standup.md', '---\ndescription: Write my standup\n---\nStandup.\n');
  h('.config/opencode/command/shipit.md', 'Ship it.\n');
  h('.config/opencode/commands/fix-issue.md', 'Shadowed by the workspace.\n');
  h('.codex/prompts/draft.md', '---\ndescription: Draft a PR\n---\nDraft.\n');
  h('.claude/agents/helper.md', '---\nname: helper\ndescription: Helps\n---\nYou help.\n');
  h('.claude/settings.json', JSON.stringify({ hooks: { SessionStart: [{ hooks: [{ type: 'command', command: 'echo hi' }] }] } }));
  h('.codex/hooks.json', JSON.stringify({ hooks: { PostToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'log.sh' }] }] } }));
  h('.cursor/mcp.json', JSON.stringify({ mcpServers: { search: { url: 'https://search.example.com/mcp' } } }));
  return { base, workspace, home, outside };
}

module.exports = { makeCustomizationsFixture, longSkill };
