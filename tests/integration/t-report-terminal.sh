#!/usr/bin/env bash
# The word report on a terminal, as git does it: in color and through a
# pager (REDLINE_PAGER, else PAGER, else less with LESS=FRX); NO_COLOR,
# TERM=dumb and --color never leave the color out, --color always puts it
# in anywhere; "" or cat as the pager writes straight to the terminal;
# a file or a pipe gets neither color nor pager. The terminal is a
# pseudo-terminal from script(1), for both `diff` and `compare`.
. "$(dirname "$0")/lib.sh"
command -v script >/dev/null || { echo "skip ${0##*/}: script(1) absent (bsdutils)"; exit 0; }
SEED="$FIXTURES/seed/seed-page-085.txt"
cp "$SEED" "$T/old.txt"
sed 's/steadfast/robust/' "$SEED" >"$T/new.txt"

start_server
make_page "$T/old.txt" "$WWW/doc.html"
write_config '[source "doc"]' "	url = $BASE/doc.html"
expect_exit 0 rl init
expect_exit 0 rl fetch
make_page "$T/new.txt" "$WWW/doc.html"
expect_exit 0 rl fetch

# A pager that says it ran, and with which LESS, then shows what it got.
cat >"$T/pager" <<PAGER
#!/bin/sh
echo "LESS=\${LESS-unset}" >"$T/paged"
cat
PAGER
chmod +x "$T/pager"

# on_tty OUT ENV... -- ARGS...: redline ARGS on a pseudo-terminal, with
# the environment given; what the terminal showed in OUT.
on_tty() {
	local out=$1 cmd
	shift
	local -a env=()
	while [ "$1" != -- ]; do env+=("$1"); shift; done
	shift
	cmd=$(printf '%q ' "$REDLINE" -c "$CONF" "$@")
	rm -f "$T/paged"
	env -u PAGER -u REDLINE_PAGER -u NO_COLOR -u LESS TERM=xterm "${env[@]}" \
		script -q -e -c "$cmd" /dev/null </dev/null >"$out" 2>&1
}
colored() { grep -q $'\033\\[' "$1"; }
compare_args=(compare "$T/old.txt" "$T/new.txt")

for args in "diff doc" "${compare_args[*]}"; do
	# shellcheck disable=SC2206
	a=($args)
	on_tty "$T/tty" REDLINE_PAGER="$T/pager" -- "${a[@]}"
	[ -f "$T/paged" ] || fail "$args on a terminal: not paged: $(head -c 300 "$T/tty")"
	assert_eq "$(cat "$T/paged")" "LESS=FRX" "$args: the pager's LESS"
	colored "$T/tty" || fail "$args on a terminal: no color"
	assert_contains "$T/tty" "robust"

	# PAGER when REDLINE_PAGER is not set; a LESS of one's own is kept
	on_tty "$T/tty" PAGER="$T/pager" LESS=S -- "${a[@]}"
	assert_eq "$(cat "$T/paged" 2>/dev/null)" "LESS=S" "$args: PAGER, and LESS kept"

	# no pager: "" or cat; still in color on the terminal
	for none in "" cat; do
		on_tty "$T/tty" PAGER="$T/pager" REDLINE_PAGER="$none" -- "${a[@]}"
		[ ! -f "$T/paged" ] || fail "$args: paged with REDLINE_PAGER='$none'"
		colored "$T/tty" || fail "$args with REDLINE_PAGER='$none': no color"
		assert_contains "$T/tty" "robust"
	done

	# no color: NO_COLOR, TERM=dumb, --color never
	on_tty "$T/tty" REDLINE_PAGER=cat NO_COLOR=1 -- "${a[@]}"
	! colored "$T/tty" || fail "$args: color with NO_COLOR"
	assert_contains "$T/tty" "[-steadfast-]{+robust+}"
	on_tty "$T/tty" REDLINE_PAGER=cat TERM=dumb -- "${a[@]}"
	! colored "$T/tty" || fail "$args: color on TERM=dumb"
	on_tty "$T/tty" REDLINE_PAGER=cat -- "${a[@]}" --color never
	! colored "$T/tty" || fail "$args: color with --color never"
	# --color always beats NO_COLOR, on a terminal or not
	on_tty "$T/tty" REDLINE_PAGER=cat NO_COLOR=1 -- "${a[@]}" --color always
	colored "$T/tty" || fail "$args: no color with --color always"

	# a file: no color, no pager, whatever the environment says
	rm -f "$T/paged"
	REDLINE_PAGER="$T/pager" TERM=xterm "$REDLINE" -c "$CONF" "${a[@]}" >"$T/file" 2>&1
	[ ! -f "$T/paged" ] || fail "$args: paged into a file"
	! colored "$T/file" || fail "$args: color in a file"
	assert_contains "$T/file" "[-steadfast-]{+robust+}"
	NO_COLOR=1 "$REDLINE" -c "$CONF" "${a[@]}" --color always >"$T/file" 2>&1
	colored "$T/file" || fail "$args --color always: no color in a file"
done
pass
