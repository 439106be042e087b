// An environment for code-server in which no `dotnet` can be found, as on most users' machines.
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * PATH as it is, except that each folder holding a `dotnet` is replaced (under `scratch`) by one made of links to
 * everything in it but dotnet, so the rest of /usr/bin (git, sh, …) stays reachable; no DOTNET_ROOT; and
 * VSCODE_CLI=1, with which the server takes this environment as the user's (otherwise it reads the login shell's,
 * whose PATH has /usr/bin, and dotnet, again).
 */
export function environmentWithoutDotnet(scratch) {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir, i) => {
    if (!fs.existsSync(path.join(dir, 'dotnet'))) return dir;
    const shadow = path.join(scratch, `path-${i}`);
    fs.mkdirSync(shadow);
    for (const name of fs.readdirSync(dir)) {
      if (!name.startsWith('dotnet')) fs.symlinkSync(path.join(dir, name), path.join(shadow, name));
    }
    return shadow;
  });
  return { PATH: dirs.join(path.delimiter), DOTNET_ROOT: undefined, VSCODE_CLI: '1' };
}
