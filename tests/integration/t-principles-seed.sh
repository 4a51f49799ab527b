#!/usr/bin/env bash
# Issue 6's "done when", as a new user meets it: the seed page archived in
# four versions by `redline fetch` from the loopback server -- the original;
# a principle inserted as "b." (old b.-d. relabelled c.-e.); "d. Peaceful
# resolution of disputes" reworded to "settlement"; the watched
# "denuclearization" (the source's watch) and "linchpin" ([watch] term)
# removed. The insertion is exactly one principle added, the rewording
# exactly one reworded, "Respect for sovereignty" keeps its id through its
# relabel, the last diff carries both watched terms 1 -> 0, and history
# names the version where "denuclearization" went.
. "$(dirname "$0")/lib.sh"
start_server

write_config '[watch]' '	term = linchpin' '[source "wp85"]' "	url = $BASE/page85.html" \
	'	watch = denuclearization'
expect_exit 0 rl init

version() { # TEXT: serve it and fetch it; prints the new commit
	make_page "$1" "$WWW/page85.html"
	expect_exit 0 rl fetch
	assert_contains "$T/out" "wp85:"
	git --git-dir="$ARCHIVE" rev-parse wp85
}

cp "$FIXTURES/seed/seed-page-085.txt" "$T/v1.txt"
sed -e 's/^b\. Respect/c. Respect/' -e 's/^c\. Peaceful/d. Peaceful/' -e 's/^d\. Adherence/e. Adherence/' \
	-e 's/^a\. Striving.*/&\nb. Commitment to the rule of law and to human rights;/' "$T/v1.txt" >"$T/v2.txt"
sed 's/^d\. Peaceful resolution of disputes/d. Peaceful settlement of disputes/' "$T/v2.txt" >"$T/v3.txt"
sed -e 's/establishment of complete denuclearization in a/establishment of lasting stability in a/' \
	-e 's/Alliance as the linchpin for peace/Alliance as the foundation for peace/' "$T/v3.txt" >"$T/v4.txt"
! cmp -s "$T/v3.txt" "$T/v4.txt" || fail "v4 did not change"

c1=$(version "$T/v1.txt")
c2=$(version "$T/v2.txt")
c3=$(version "$T/v3.txt")
c4=$(version "$T/v4.txt")
assert_eq "$(git_count wp85)" 4 "versions"

# 1 -> 2: one principle added, nothing removed or reworded.
expect_exit 1 rl diff wp85~3 wp85~2 --format json
assert_eq "$(jqf '.principles.added | length' "$T/out")" 1 "added"
assert_eq "$(jqf '.principles.added[0].label' "$T/out")" b. "added label"
assert_eq "$(jqf '.principles.removed | length' "$T/out")" 0 "removed"
assert_eq "$(jqf '.principles.reworded | length' "$T/out")" 0 "reworded"
assert_eq "$(jqf '.principles.relabelled | length' "$T/out")" 3 "relabelled"
assert_eq "$(git --git-dir="$ARCHIVE" log -1 --format=%s "$c2")" "wp85: 1 principle added" "subject"
# the word diff shows the new line whole and the relabels as labels
expect_exit 1 rl diff wp85~3 wp85~2 --color never
assert_contains "$T/out" "{+b. Commitment to the rule of law and to human rights;+}"
assert_contains "$T/out" "[-b-]{+c+}. Respect for sovereignty"
assert_contains "$T/out" "[-d-]{+e+}. Adherence"
# the same id for "Respect for sovereignty" before and after its relabel
expect_exit 0 rl principles wp85~3 --json
id1=$(jqf '.[] | select(.text | startswith("Respect for sovereignty")) | .id' "$T/out")
assert_eq "$(jqf '.[] | select(.id == "'"$id1"'") | .label' "$T/out")" b. "label before"
expect_exit 0 rl principles wp85~2 --json
assert_eq "$(jqf '.[] | select(.text | startswith("Respect for sovereignty")) | .id' "$T/out")" \
	"$id1" "id after the relabel"
assert_eq "$(jqf '.[] | select(.id == "'"$id1"'") | .label' "$T/out")" c. "label after"
expect_exit 1 rl principles wp85 --diff wp85~3 wp85~2
assert_contains "$T/out" "1 principle added: b. Commitment to the rule of law and to human rights;"
assert_contains "$T/out" "3 relabelled:"

# 2 -> 3: exactly one rewording, with its words.
expect_exit 1 rl diff wp85~2 wp85~1 --format json
assert_eq "$(jqf '.principles.reworded | length' "$T/out")" 1 "reworded"
assert_eq "$(jqf '.principles.added | length' "$T/out")" 0 "added in the rewording"
assert_eq "$(jqf '.principles.removed | length' "$T/out")" 0 "removed in the rewording"
assert_eq "$(jqf '.principles.reworded[0].label' "$T/out")" d. "reworded label"
peaceful=$(jqf '.principles.reworded[0].id' "$T/out")
expect_exit 1 rl principles wp85 --diff ~2 ~1 --json
assert_eq "$(jqf '.reworded | length' "$T/out")" 1 "principles --diff reworded"
assert_contains "$T/out" '[-resolution-]{+settlement+} of disputes'

# 3 -> 4: both watched terms 1 -> 0, with their sentences; no principle changed.
expect_exit 1 rl diff wp85 --format json
assert_eq "$(jqf '[.watch[] | select(.term == "denuclearization" and .before == 1 and .after == 0)] | length' "$T/out")" 1 "denuclearization 1 -> 0"
assert_eq "$(jqf '[.watch[] | select(.term == "linchpin" and .before == 1 and .after == 0)] | length' "$T/out")" 1 "linchpin 1 -> 0"
assert_eq "$(jqf '.watch | length' "$T/out")" 2 "watch entries"
jqf '.watch[] | select(.term == "linchpin") | .contexts[0]' "$T/out" | grep -q "as the linchpin for peace" ||
	fail "linchpin context"
expect_exit 0 rl principles wp85 --diff
assert_contains "$T/out" "no principle changed"

# history names the version where "denuclearization" went, and where it came.
expect_exit 0 rl history wp85 --phrase denuclearization --json
assert_eq "$(jqf 'length' "$T/out")" 2 "denuclearization events"
assert_eq "$(jqf '.[-1].commit' "$T/out")" "$c4" "disappeared in the last version"
assert_eq "$(jqf '.[-1].event' "$T/out")" disappeared "event"
assert_eq "$(jqf '.[0].commit' "$T/out")" "$c1" "appeared in the first"
assert_eq "$(jqf '.[0].event' "$T/out")" appeared "first event"
jqf '.[-1].text' "$T/out" | grep -q "complete denuclearization in a verifiable manner" ||
	fail "the sentence where it disappeared"
jqf '.[-1].date' "$T/out" | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' || fail "date"
expect_exit 0 rl history wp85 --phrase denuclearization
assert_contains "$T/out" "${c4:0:10}"
assert_contains "$T/out" "disappeared"
expect_exit 1 rl history wp85 --phrase "our enemy"
assert_contains "$T/err" "never appears"

# the principle's own history: added, relabelled, reworded
expect_exit 0 rl history wp85 --principle "$peaceful" --json
assert_eq "$(jqf '[.[] | .event] | join(",")' "$T/out")" "added,relabelled,reworded" "principle events"
assert_eq "$(jqf '.[1].commit' "$T/out")" "$c2" "relabelled in v2"
assert_eq "$(jqf '.[1].old_label + .[1].label' "$T/out")" c.d. "relabel"
assert_eq "$(jqf '.[2].commit' "$T/out")" "$c3" "reworded in v3"
expect_exit 1 rl history wp85 --principle p-00000000

# log marks the version where watched terms changed; --json keeps its keys
expect_exit 0 rl log wp85 --color never
assert_eq "$(grep -c 'watch:' "$T/out")" 1 "marked versions"
grep "^${c4:0:10}" "$T/out" | grep -F '[watch: ' | grep -F '"denuclearization" 1->0' |
	grep -qF '"linchpin" 1->0' || fail "log mark: $(cat "$T/out")"
expect_exit 0 rl log wp85 --json
assert_eq "$(jqf '.[0] | keys_unsorted | .[0:6] | join(",")' "$T/out")" \
	source,commit,parent,date,change,subject "log --json keys"
assert_eq "$(jqf '.[0].watch | length' "$T/out")" 2 "log --json watch"
assert_eq "$(jqf '.[1].watch | length' "$T/out")" 0 "log --json watch elsewhere"
pass
