// Checks the tracked files against .editorconfig: the indent style, a final newline and no trailing whitespace where
// it asks for them. Run by `npm run lint`; prints each file's first problem and exits non-zero when there is one.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** .editorconfig's sections, in order (a later one overrides an earlier one for the same key). */
function sections(text) {
  const list = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) list.push({ matches: globToRegExp(header[1]), props: {} });
    else if (list.length > 0) {
      const [key, value] = line.split('=').map(s => s.trim());
      list.at(-1).props[key] = value;
    }
  }
  return list;
}

/** An editorconfig glob (`*`, `**`, `{a,b}`) as a RegExp on a repository path; a glob without `/` matches any folder. */
function globToRegExp(glob) {
  const body = glob.replace(/[.+^$()|\\]/g, '\\$&')
    .replace(/\{([^}]*)\}/g, (_, alternatives) => `(?:${alternatives.split(',').join('|')})`)
    .split('**').map(part => part.replace(/\*/g, '[^/]*')).join('.*');
  return new RegExp(glob.includes('/') ? `^${body}$` : `(?:^|/)${body}$`);
}

function propsFor(path, list) {
  return Object.assign({}, ...list.filter(s => s.matches.test(path)).map(s => s.props));
}

function firstProblem(text, props) {
  if (props.insert_final_newline === 'true' && text.length > 0 && !text.endsWith('\n')) return 'no newline at the end';
  const lines = text.split('\n');
  let inComment = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    // A comment's continuation lines are aligned, not indented (a JSDoc star, a CSS comment's second line).
    const aligned = inComment;
    inComment = line.lastIndexOf('/*') > line.lastIndexOf('*/');
    inComment ||= aligned && !line.includes('*/');
    if (props.trim_trailing_whitespace === 'true' && /[ \t]+\r?$/.test(line)) return `line ${i + 1}: trailing whitespace`;
    const indent = /^[ \t]*/.exec(line)[0];
    // What follows the first character of the indent is alignment (a JSDoc star) or a raw string's own text.
    if (props.indent_style === 'space' && indent.startsWith('\t')) return `line ${i + 1}: indented with a tab (.editorconfig: spaces)`;
    if (props.indent_style === 'tab' && indent.startsWith(' ') && !aligned && line.trim() !== '') return `line ${i + 1}: indented with spaces (.editorconfig: tabs)`;
  }
  return undefined;
}

const list = sections(readFileSync('.editorconfig', 'utf8'));
const files = execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' }).split('\0').filter(Boolean);
const problems = [];
for (const file of files) {
  const props = propsFor(file, list);
  if (!props.indent_style && !props.insert_final_newline && !props.trim_trailing_whitespace) continue;
  let text;
  try { text = readFileSync(file, 'utf8'); } catch { continue; }
  if (text.includes('\u0000')) continue; // binary
  const problem = firstProblem(text, props);
  if (problem) problems.push(`${file}: ${problem}`);
}
for (const p of problems) console.error(p);
console.log(`editorconfig: ${files.length} files, ${problems.length} not as .editorconfig says`);
process.exit(problems.length > 0 ? 1 : 0);
