#!/usr/bin/env bash
# Lists the repeated code of the sidecar and the extension with jscpd (a devDependency: its default of 50 tokens,
# ignoring generated obj/ and bin/) and holds each tree to its budget, which can only go down: more clones fail
# (remove the new repetition), fewer fail too until the budget is lowered to the new count, so it never creeps back.
# Prints "N passed, N failed" (one check per tree). JSCPD names another jscpd executable.
set -uo pipefail
cd "$(dirname "$0")/../.."
declare -A budget=([server]=5 [extension]=0)
declare -A format=([server]=csharp [extension]=typescript)
declare -A folder=([server]=server [extension]=extension/src)
jscpd="${JSCPD:-node_modules/.bin/jscpd}"
if [ ! -x "$jscpd" ]; then
  echo "duplicates: $jscpd is missing: run \`npm ci\` (jscpd is a devDependency)"
  echo "0 passed, 1 failed"
  exit 1
fi
report=$(mktemp -d)
trap 'rm -rf "$report"' EXIT
passed=0; failed=0
for tree in server extension; do
  "$jscpd" --silent --reporters json --output "$report/$tree" --format "${format[$tree]}" \
    --ignore '**/obj/**,**/bin/**' "${folder[$tree]}" >/dev/null
  echo "--- $tree"
  clones=$(node -e '
    const { duplicates } = require(process.argv[1]);
    for (const c of duplicates) console.log(`  ${c.firstFile.name}:${c.firstFile.start}-${c.firstFile.end} = ${c.secondFile.name}:${c.secondFile.start}-${c.secondFile.end}`);
    console.log(duplicates.length);' "$report/$tree/jscpd-report.json")
  count=$(tail -n1 <<<"$clones")
  sed '$d' <<<"$clones"
  if [ "$count" -gt "${budget[$tree]}" ]; then
    echo "FAIL: $count clones in ${folder[$tree]}/, over its budget of ${budget[$tree]}: remove the new repetition"; failed=$((failed + 1))
  elif [ "$count" -lt "${budget[$tree]}" ]; then
    echo "FAIL: $count clones in ${folder[$tree]}/, fewer than its budget of ${budget[$tree]}: lower the budget to $count in $0"; failed=$((failed + 1))
  else
    echo "ok: $count clones in ${folder[$tree]}/ (budget ${budget[$tree]})"; passed=$((passed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
