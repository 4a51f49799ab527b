# Helpers for the tests of PDF sources (t-daemon-pdf*.sh), over lib.sh.
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# make_pdf OUT LINE...: a one-page PDF with the given lines of text in
# Helvetica, top to bottom, its cross-reference table true to the byte.
make_pdf() {
	local out=$1 stream="BT /F1 11 Tf 14 TL 60 780 Td" l i
	shift
	for l in "$@"; do
		l=${l//\\/\\\\}
		l=${l//(/\\(}
		l=${l//)/\\)}
		stream+=" ($l) Tj T*"
	done
	stream+=" ET"
	local objs=(
		"<< /Type /Catalog /Pages 2 0 R >>"
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
		"<< /Length ${#stream} >>
stream
$stream
endstream"
	)
	local off=() xref
	printf '%%PDF-1.4\n' >"$out"
	for i in "${!objs[@]}"; do
		off+=("$(stat -c %s "$out")")
		printf '%d 0 obj\n%s\nendobj\n' "$((i + 1))" "${objs[$i]}" >>"$out"
	done
	xref=$(stat -c %s "$out")
	{
		printf 'xref\n0 %d\n0000000000 65535 f \n' "$((${#objs[@]} + 1))"
		for i in "${off[@]}"; do printf '%010d 00000 n \n' "$i"; done
		printf 'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' "$((${#objs[@]} + 1))" "$xref"
	} >>"$out"
}

# pdf_setup: a PDF source "paper" and a web page source "notice", a new
# archive.
pdf_setup() {
	make_pdf "$WWW/paper.pdf" "The ministry publishes its defence white paper." \
		"The alliance remains the foundation of peace and stability."
	printf '%s\n' "The ministry publishes notice 7 on defence cooperation." \
		"It takes effect on the first day of the month." >"$T/notice.txt"
	make_page "$T/notice.txt" "$WWW/notice.html" "Notice 7"
	write_config '[source "paper"]' "	url = $BASE/paper.pdf" \
		'[source "notice"]' "	url = $BASE/notice.html"
	expect_exit 0 rl init
}

# status_of ID FIELD: one field of a source's status --json entry.
status_of() {
	rl status --json >"$T/status.json" 2>"$T/status.err" || fail "status --json failed: $(cat "$T/status.err")"
	jqf ".[] | select(.id==\"$1\") | .$2" "$T/status.json"
}

# Children of PID that are zombies (state Z), one per line.
zombies_of() { ps -o stat=,pid= --ppid "$1" 2>/dev/null | awk '$1 ~ /^Z/ {print $2}'; }

# A daemon a failed test leaves running is killed with it.
DAEMON_PID=
pdf_cleanup() {
	[ -n "$DAEMON_PID" ] && kill -KILL "$DAEMON_PID" 2>/dev/null && wait "$DAEMON_PID" 2>/dev/null
	cleanup
}
trap pdf_cleanup EXIT
