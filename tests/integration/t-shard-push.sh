#!/usr/bin/env bash
# Two instances with disjoint shards ([daemon] shard = 0/2 and 1/2) over the
# same sources, each with its own archive, push to one remote: every source
# lands there once, from the instance that owns it, with no rejection, round
# after round; neither pushes main (they would fight over it).
. "$(dirname "$0")/lib.sh"
N=8
start_server

version() { # source n
	sed "s/maintaining a steadfast\$/maintaining a steadfast (revision $2)/" \
		"$FIXTURES/seed/seed-page-085.txt" >"$T/$1.txt"
	make_page "$T/$1.txt" "$WWW/$1.html"
}
HUB="$T/hub.git"
git init -q --bare "$HUB"
for k in 0 1; do
	{
		printf '[archive]\n\tpath = %s\n[fetch]\n\ttimeout = 10s\n\tretries = 0\n' "$T/a$k.git"
		printf '[daemon]\n\tshard = %s/2\n[remote "hub"]\n\turl = %s\n' "$k" "$HUB"
		for i in $(seq $N); do printf '[source "s%s"]\n\turl = %s/s%s.html\n' "$i" "$BASE" "$i"; done
	} >"$T/shard$k.conf"
done

for round in 1 2; do
	for i in $(seq $N); do version "s$i" "$round"; done
	for k in 0 1; do
		expect_exit 0 "$REDLINED" -c "$T/shard$k.conf" --once
		expect_exit 0 "$REDLINE" -c "$T/shard$k.conf" push
		assert_contains "$T/out" "0 rejected"
	done
done

mine0=$(git --git-dir="$T/a0.git" for-each-ref --format='%(refname)' refs/heads | grep -v main)
mine1=$(git --git-dir="$T/a1.git" for-each-ref --format='%(refname)' refs/heads | grep -v main)
[ -n "$mine0" ] && [ -n "$mine1" ] || fail "a shard is empty: '$mine0' / '$mine1'"
[ -z "$(comm -12 <(echo "$mine0" | sort) <(echo "$mine1" | sort))" ] || fail "shards overlap"
assert_eq "$(git --git-dir="$HUB" for-each-ref refs/heads | wc -l)" $N "branches on the hub"
for k in 0 1; do
	for ref in $(git --git-dir="$T/a$k.git" for-each-ref --format='%(refname)' refs/heads | grep -v main); do
		assert_eq "$(git --git-dir="$HUB" rev-parse "$ref")" \
			"$(git --git-dir="$T/a$k.git" rev-parse "$ref")" "$ref on the hub (shard $k)"
		assert_eq "$(git --git-dir="$HUB" rev-list --count "$ref")" 2 "$ref versions on the hub"
	done
done
git --git-dir="$HUB" rev-parse -q --verify refs/heads/main >/dev/null && fail "a shard pushed main"
git --git-dir="$HUB" fsck --strict >"$T/fsck" 2>&1 || fail "fsck of the hub: $(cat "$T/fsck")"
pass "$N sources over 2 shards: $(echo "$mine0" | wc -l) + $(echo "$mine1" | wc -l)"
