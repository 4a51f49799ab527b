#!/usr/bin/env bash
# `redline history --phrase` over seven fetched versions of the seed page:
# "our enemy" appears, grows to two, shrinks, disappears and comes back;
# each event at the right commit with its sentence, in any case, across a
# sentence break; the same commits as `git log -S` finds; and the same
# answers when the index is extended by a new version, damaged or lost.
. "$(dirname "$0")/lib.sh"
start_server
write_config '[source "wp85"]' "	url = $BASE/page85.html"
expect_exit 0 rl init

version() { # TEXT
	make_page "$1" "$WWW/page85.html"
	expect_exit 0 rl fetch
	git --git-dir="$ARCHIVE" rev-parse wp85
}

seed="$FIXTURES/seed/seed-page-085.txt"
enemy="North Korea's regime and military are our enemy."
again="The regime remains our Enemy in the eyes of the ministry."
sed "s/^of the Korean Peninsula and the region\.$/&\n$enemy/" "$seed" >"$T/v2.txt"
sed 's/maintaining a steadfast$/maintaining a robust/' "$T/v2.txt" >"$T/v3.txt"
sed "s/^At the 50th Security/$again\n&/" "$T/v3.txt" >"$T/v4.txt"
grep -v "^$enemy\$" "$T/v4.txt" >"$T/v5.txt"
grep -v "^$again\$" "$T/v5.txt" >"$T/v6.txt"
cp "$T/v2.txt" "$T/v7.txt"

c1=$(version "$seed")
c2=$(version "$T/v2.txt")
c3=$(version "$T/v3.txt")
c4=$(version "$T/v4.txt")
c5=$(version "$T/v5.txt")
c6=$(version "$T/v6.txt")
c7=$(version "$T/v7.txt")
assert_eq "$(git_count wp85)" 7 "versions"

expect_exit 0 rl history wp85 --phrase "our enemy" --json
got=$(jqf '[.[] | "\(.commit[0:10]) \(.event) \(.before)->\(.after)"] | join(" ")' "$T/out")
want="${c2:0:10} appeared 0->1 ${c4:0:10} more 1->2 ${c5:0:10} fewer 2->1 ${c6:0:10} disappeared 1->0 ${c7:0:10} appeared 0->1"
assert_eq "$got" "$want" "events"
assert_eq "$(jqf '.[0].text' "$T/out")" "$enemy" "sentence where it appeared"
assert_eq "$(jqf '.[1].text' "$T/out")" "$again" "sentence where it came again"
assert_eq "$(jqf '.[2].text' "$T/out")" "$enemy" "sentence where one went"
assert_eq "$(jqf '.[3].text' "$T/out")" "$again" "sentence where it disappeared"
assert_eq "$(jqf '.[0] | keys_unsorted | .[0:4] | join(",")' "$T/out")" commit,date,event,text "keys"

# any case, any spacing; not inside another word
expect_exit 0 rl history wp85 --phrase "OUR   Enemy" --json
assert_eq "$(jqf 'length' "$T/out")" 5 "case and spacing"
expect_exit 1 rl history wp85 --phrase "enem" --json
assert_eq "$(jqf 'length' "$T/out")" 0 "part of a word"

# a phrase across a sentence break (a line break in canonical text)
expect_exit 0 rl history wp85 --phrase "the region. North Korea's" --json
assert_eq "$(jqf '[.[] | .commit] | join(" ")' "$T/out")" "$c2 $c5 $c7" "across sentences"

# the same versions as git log -S finds on text.md
expect_exit 0 rl history wp85 --phrase "our enemy" --json
mine=$(jqf '[.[] | .commit] | sort | join(" ")' "$T/out")
gits=$(git --git-dir="$ARCHIVE" log -S"our enemy" -i --format=%H wp85 -- text.md | sort | tr '\n' ' ')
assert_eq "$mine " "$gits" "git log -S"

# text output, oldest first
expect_exit 0 rl history wp85 --phrase "our enemy" --color never
assert_eq "$(wc -l <"$T/out")" 5 "lines"
head -1 "$T/out" | grep -q "^${c2:0:10} .* appeared .*0 -> 1  $enemy\$" || fail "first line: $(head -1 "$T/out")"

# the index: written once, extended by a new version, rebuilt when damaged
idx="$ARCHIVE/redline/cache/history/wp85"
[ -s "$idx" ] || fail "no index at $idx"
size=$(stat -c %s "$idx")
sed 's/^inclusiveness, and transparency\.$/inclusiveness, and full transparency./' "$T/v7.txt" >"$T/v8.txt"
c8=$(version "$T/v8.txt")
expect_exit 0 rl history wp85 --phrase "full transparency" --json
assert_eq "$(jqf '.[0].commit' "$T/out")" "$c8" "new version indexed"
[ "$(stat -c %s "$idx")" -gt "$size" ] || fail "index not extended"
head -c 200 "$idx" >"$idx.cut" && mv "$idx.cut" "$idx"
expect_exit 0 rl history wp85 --phrase "our enemy" --json
assert_eq "$(jqf 'length' "$T/out")" 5 "after damage"
printf 'redline-history 1 context=5\nV zz\n' >"$idx"
expect_exit 0 rl history wp85 --phrase "our enemy" --json
assert_eq "$(jqf 'length' "$T/out")" 5 "after garbage"
rm -f "$idx"
expect_exit 0 rl history wp85 --phrase "our enemy" --json
assert_eq "$(jqf 'length' "$T/out")" 5 "after loss"

# a phrase longer than the index's context is counted from the versions
long="North Korea's regime and military are our enemy"
expect_exit 0 rl history wp85 --phrase "$long" --json
assert_eq "$(jqf '[.[] | .event] | join(",")' "$T/out")" appeared,disappeared,appeared "long phrase"
assert_eq "$(jqf '.[1].commit' "$T/out")" "$c5" "long phrase gone"

# usage
expect_exit 2 rl history wp85
expect_exit 2 rl history wp85 --phrase x --principle p-1
expect_exit 2 rl history wp85~1 --phrase x
expect_exit 1 rl history nosuch --phrase x
pass
