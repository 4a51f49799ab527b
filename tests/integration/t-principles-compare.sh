#!/usr/bin/env bash
# `redline compare` on two editions of the seed page (web pages as
# published, no archive) reports the principle changes the way `diff`
# does: one principle added, the relabels as labels, and the configured
# watched terms.
. "$(dirname "$0")/lib.sh"

seed="$FIXTURES/seed/seed-page-085.txt"
sed -e 's/^b\. Respect/c. Respect/' -e 's/^c\. Peaceful resolution/d. Peaceful settlement/' \
	-e 's/^d\. Adherence/e. Adherence/' \
	-e 's/^a\. Striving.*/&\nb. Commitment to the rule of law and to human rights;/' \
	-e 's/the linchpin for peace/the foundation for peace/' "$seed" >"$T/new.txt"
make_page "$seed" "$T/old.html"
make_page "$T/new.txt" "$T/new.html"

expect_exit 1 "$REDLINE" compare "$T/old.html" "$T/new.html" --format json
assert_eq "$(jqf '.principles.added | length' "$T/out")" 1 "added"
assert_eq "$(jqf '.principles.added[0].text' "$T/out")" \
	"Commitment to the rule of law and to human rights;" "added text"
assert_eq "$(jqf '.principles.reworded | length' "$T/out")" 1 "reworded"
assert_eq "$(jqf '.principles.reworded[0].label' "$T/out")" d. "reworded label"
assert_eq "$(jqf '.principles.removed | length' "$T/out")" 0 "removed"
assert_eq "$(jqf '.principles.relabelled | length' "$T/out")" 3 "relabelled"
assert_eq "$(jqf '.class' "$T/out")" structure "class"
assert_eq "$(jqf '[.changes[] | select(.kind == "insert" and .class == "structure")] | length' "$T/out")" 1 "one inserted item"
assert_eq "$(jqf '.watch | length' "$T/out")" 0 "no configuration, no watched terms"

expect_exit 1 "$REDLINE" compare "$T/old.html" "$T/new.html" --color never
assert_contains "$T/out" "{+b. Commitment to the rule of law and to human rights;+}"
assert_contains "$T/out" "[-b-]{+c+}. Respect"
assert_contains "$T/out" "added b. Commitment to the rule of law and to human rights;"

# the configuration's watched terms, when there is one
write_config '[watch]' '	term = linchpin'
expect_exit 1 "$REDLINE" -c "$CONF" compare "$T/old.html" "$T/new.html" --format json
assert_eq "$(jqf '.watch[0].term' "$T/out")" linchpin "watched term"
assert_eq "$(jqf '.watch[0].before' "$T/out")-$(jqf '.watch[0].after' "$T/out")" 1-0 "counts"

# the same page twice: no principle changes, exit 0
expect_exit 0 "$REDLINE" compare "$T/old.html" "$T/old.html" --format json
assert_eq "$(jqf '.principles.added + .principles.removed | length' "$T/out")" 0 "same"
pass
