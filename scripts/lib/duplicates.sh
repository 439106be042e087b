#!/usr/bin/env bash
# Lists the repeated code of the sidecar and the extension (the `duplicates` command of this workplace)
# and fails when the pairs outgrow the budget the repository has defended: a new pair must be removed
# or defended (and the budget raised) on purpose. Prints "N passed, N failed" (one check per tree).
set -uo pipefail
cd "$(dirname "$0")/../.."
# server: 153 after the round that added the Processes room, four provider formats, the command line and the
# design-notes template format; what grew is mostly shape (wire records whose members mirror a feature's own type,
# using-lists, service registrations), and the repetition that was logic (turn merging) was removed.
# 169 with VS Code's Language Model API both ways: the 16 new pairs are the lm/* wire records (members that mirror
# other records' shapes), their Contract entries, and a built-in catalog row beside the others'. 171: two more
# wire-record property shapes (OpenAIWire's usage gained OpenRouter's cost member).
# 176: an instance's last test on the wire (its record, the enum of what mends a failure, the serializer's entry), all
# shapes of other wire records and enums, marked boilerplate.
declare -A budget=([server]=176 [extension]=5)
if ! command -v duplicates >/dev/null; then
  echo "duplicates: the command is not installed here; skipped"
  echo "0 passed, 0 failed"
  exit 0
fi
passed=0; failed=0
for tree in server extension; do
  report=$(duplicates --repo "$tree" --most 200 --seconds 120)
  echo "--- $tree"
  echo "$report"
  pairs=$(head -n1 <<<"$report" | grep -oE '^[0-9]+' || echo 0)
  if [ "$pairs" -le "${budget[$tree]}" ]; then
    echo "ok: $pairs pairs in $tree/ (budget ${budget[$tree]})"; passed=$((passed + 1))
  else
    echo "FAIL: $pairs pairs in $tree/, over its budget of ${budget[$tree]}: remove the new repetition or defend it"; failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
