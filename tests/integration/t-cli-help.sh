#!/usr/bin/env bash
# Every command is listed by `redline help` and describes itself with
# --help and `redline help COMMAND`; unknown commands and options are usage
# errors (exit 2).
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$REDLINE" help
cp "$T/out" "$T/overview"
cmds=$(sed -n 's/^  \([a-z]*\)  .*/\1/p' "$T/overview")
[ "$(echo "$cmds" | wc -l)" -ge 10 ] || fail "help lists too few commands: $cmds"
for c in init fetch status log show diff compare principles history feed reextract config help; do
	echo "$cmds" | grep -qx "$c" || fail "redline help does not list '$c'"
done
for c in $cmds; do
	expect_exit 0 "$REDLINE" "$c" --help
	assert_contains "$T/out" "usage: redline $c"
	expect_exit 0 "$REDLINE" help "$c"
	assert_contains "$T/out" "usage: redline $c"
done
expect_exit 0 "$REDLINE" --version
assert_contains "$T/out" "redline $(cat "$TOP/VERSION")"
expect_exit 2 "$REDLINE" frobnicate
assert_contains "$T/err" "'frobnicate' is not a redline command"
grep -q "most similar" "$T/err" && fail "a word like no command got a suggestion: $(cat "$T/err")"
# a typo, a transposition and a prefix name the command meant, like git
expect_exit 2 "$REDLINE" princples
assert_contains "$T/err" "The most similar command is"
grep -qx "	principles" "$T/err" || fail "'princples' does not suggest principles: $(cat "$T/err")"
expect_exit 2 "$REDLINE" lgo
grep -qx "	log" "$T/err" || fail "'lgo' does not suggest log: $(cat "$T/err")"
expect_exit 2 "$REDLINE" help hist
grep -qx "	history" "$T/err" || fail "'help hist' does not suggest history: $(cat "$T/err")"
expect_exit 2 "$REDLINE" log --frobnicate
assert_contains "$T/err" "unknown option '--frobnicate'"
expect_exit 2 "$REDLINE" log -n
assert_contains "$T/err" "needs a value"
expect_exit 2 "$REDLINE"
pass
