#!/usr/bin/env bash
# `redline compare` of two large files (300 KB: 48 versions of the seed
# page, each with its own number) finds the one word changed among them,
# and reports two equal files as equal; `redline diff` of the same two
# texts archived as versions reports the same. Texts this large have the
# main heap grown at once and advised onto huge pages (cli/heap.c), unless
# the machine hands its free memory back to a hypervisor (a balloon that
# reports free pages) or REDLINE_HUGE_PAGES says otherwise: strace (which
# `make deps` installs) sees the advice given for them where it should be,
# and not for two small files.
. "$(dirname "$0")/lib.sh"

seed="$FIXTURES/seed/seed-page-085.txt"
copies() { # CHANGED: 48 copies of the seed page, the steadfast of copy CHANGED unwavering
	for k in $(seq 101 148); do
		if [ "$k" = "$1" ]; then
			sed -e "s/past 66 years/past $k years/" -e 's/steadfast/unwavering/' "$seed"
		else
			sed "s/past 66 years/past $k years/" "$seed"
		fi
		echo
	done
}
copies 0 >"$T/old.txt"
copies 137 >"$T/new.txt"
size=$(($(wc -c <"$T/old.txt") + $(wc -c <"$T/new.txt")))
[ "$size" -ge 262144 ] || fail "the two files are $size bytes: under 256 KiB, no huge pages"

expect_exit 1 "$REDLINE" compare --color never "$T/old.txt" "$T/new.txt"
assert_contains "$T/out" "# wording: 1 word inserted, 1 deleted, 0 moved"
assert_contains "$T/out" "[-steadfast-]{+unwavering+}"
expect_exit 1 "$REDLINE" compare --format json "$T/old.txt" "$T/new.txt"
assert_eq "$(jqf '.changes | length' "$T/out")" 1 "one change"
assert_eq "$(jqf '.changes[0].old + " " + .changes[0].new' "$T/out")" "steadfast unwavering" "the words"
# in copy 137, whose number is in the sentences around it
expect_exit 1 "$REDLINE" compare --format unified -U 3 --color never "$T/old.txt" "$T/new.txt"
assert_eq "$(grep -c '^@@' "$T/out")" 1 "hunks"
assert_contains "$T/out" "past 137 years"
expect_exit 0 "$REDLINE" compare "$T/old.txt" "$T/old.txt"
assert_contains "$T/out" "# none: 0 words inserted, 0 deleted, 0 moved"

# The same two texts as two versions of an archived source.
cp "$T/old.txt" "$T/doc.txt"
write_config '[source "big"]' "	url = file://$T/doc.txt"
expect_exit 0 rl init
expect_exit 0 rl fetch
cp "$T/new.txt" "$T/doc.txt"
expect_exit 0 rl fetch
assert_contains "$T/out" "1 word changed"
expect_exit 1 rl diff big --color never
assert_contains "$T/out" "# wording: 1 word inserted, 1 deleted, 0 moved"
assert_contains "$T/out" "[-steadfast-]{+unwavering+}"

# The older version is read on a second thread: its error is still the
# one reported, naming what could not be read, when its text is gone.
blob=$(git --git-dir="$ARCHIVE" rev-parse big~1:text.md)
[ -f "$ARCHIVE/objects/${blob:0:2}/${blob:2}" ] || fail "the older text.md is not a loose object"
cp -r "$ARCHIVE" "$T/whole.git"
rm -f "$ARCHIVE/objects/${blob:0:2}/${blob:2}"
expect_exit 2 rl diff big
assert_contains "$T/err" "version $(git --git-dir="$ARCHIVE" rev-parse --short=12 big~1): text.md is unreadable"
assert_contains "$T/err" "$blob"
rm -rf "$ARCHIVE"
mv "$T/whole.git" "$ARCHIVE"

# The advice, seen by strace: for the large texts, not for two pages.
if ! command -v strace >/dev/null 2>&1; then
	pass "(strace is not installed: the huge-page advice not checked)"
	exit 0
fi
advised() { # ARGS...: 1 when `redline ARGS` advises memory onto huge pages
	# (LeakSanitizer cannot check a traced process, and says so: not asked)
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -e trace=madvise -o "$T/strace" "$BUILD/redline" "$@" >/dev/null 2>"$T/advised.err" ||
		[ $? = 1 ] || fail "strace of redline $* failed: $(tail -3 "$T/strace") $(cat "$T/advised.err")"
	grep -q MADV_HUGEPAGE "$T/strace" && echo 1 || echo 0
}
# This machine's balloon, read from sysfs here as the kernel documents it
# (virtio device 5, feature bit 5 in a string of bits from bit 0; Hyper-V's
# balloon driver): where free memory goes back to the host, no advice.
reported=0
for d in /sys/bus/virtio/devices/*; do
	[ "$(cat "$d/device" 2>/dev/null)" = 0x0005 ] &&
		[ "$(cut -c6 "$d/features" 2>/dev/null)" = 1 ] && reported=1
done
[ -e /sys/bus/vmbus/drivers/hv_balloon ] && reported=1
auto=$((1 - reported))
unset REDLINE_HUGE_PAGES
assert_eq "$(advised compare "$T/old.txt" "$T/new.txt")" "$auto" \
	"huge pages advised: compare, 300 KB (free memory reported: $reported)"
assert_eq "$(advised compare "$seed" "$seed")" 0 "huge pages advised: compare, two pages"
assert_eq "$(advised -c "$CONF" diff big)" "$auto" "huge pages advised: diff, 300 KB"
export REDLINE_HUGE_PAGES=always
assert_eq "$(advised compare "$T/old.txt" "$T/new.txt")" 1 "huge pages advised: always, 300 KB"
assert_eq "$(advised compare "$seed" "$seed")" 0 "huge pages advised: always, two pages"
assert_eq "$(advised -c "$CONF" diff big)" 1 "huge pages advised: always, diff"
export REDLINE_HUGE_PAGES=never
assert_eq "$(advised compare "$T/old.txt" "$T/new.txt")" 0 "huge pages advised: never, 300 KB"
assert_eq "$(advised -c "$CONF" diff big)" 0 "huge pages advised: never, diff"
export REDLINE_HUGE_PAGES=auto
assert_eq "$(advised compare "$T/old.txt" "$T/new.txt")" "$auto" "huge pages advised: auto"
# A value it does not know: said, and taken as auto; the answer the same.
export REDLINE_HUGE_PAGES=sometimes
expect_exit 1 "$REDLINE" compare --color never "$T/old.txt" "$T/new.txt"
assert_contains "$T/err" "REDLINE_HUGE_PAGES=sometimes: not auto, always or never; taken as auto"
assert_contains "$T/out" "[-steadfast-]{+unwavering+}"
assert_eq "$(advised compare "$T/old.txt" "$T/new.txt")" "$auto" "huge pages advised: sometimes"
# said for two small files too, which ask nothing of the heap
expect_exit 0 "$REDLINE" compare "$seed" "$seed"
assert_contains "$T/err" "REDLINE_HUGE_PAGES=sometimes: not auto, always or never; taken as auto"
unset REDLINE_HUGE_PAGES
pass
