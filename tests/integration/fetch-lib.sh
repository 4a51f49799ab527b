# Helpers for the fetcher's tests (t-fetch-*.sh), over lib.sh: one source
# "doc" served from $WWW/doc.html, and the life of a fault: a fetch that
# fails writes nothing, the fault lifts and the page is archived, the page
# changes while the fault is back and the old version stays the latest.
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DOC_URL=
# A fetch that hangs fails its test instead of the whole run.
rl() { timeout 120 "$REDLINE" -c "$CONF" "$@"; }
ms_now() { date +%s%3N; }

# doc_setup [FETCH-LINES...]: page 85 as doc.html, a config with the given
# [fetch] lines and one source "doc", a new archive.
doc_setup() {
	rm -rf "$ARCHIVE"
	cp "$FIXTURES/seed/seed-page-085.txt" "$T/v1.txt"
	sed 's/maintaining a steadfast$/maintaining a robust/' "$T/v1.txt" >"$T/v2.txt"
	make_page "$T/v1.txt" "$WWW/doc.html"
	DOC_URL="$BASE/doc.html"
	write_config "$@" '[source "doc"]' "	url = $DOC_URL"
	expect_exit 0 rl init
}

# status_of ID FIELD: one field of a source's status --json entry.
status_of() {
	rl status --json >"$T/status.json" 2>"$T/status.err" || fail "status --json failed: $(cat "$T/status.err")"
	jqf ".[] | select(.id==\"$1\") | .$2" "$T/status.json"
}

# expect_doc_failure WANT: a fetch pass fails doc with an error that names
# its URL and contains WANT, on stderr and in status --json.
expect_doc_failure() {
	local want=$1 err
	expect_exit 1 rl fetch
	assert_contains "$T/err" "doc: failed: "
	assert_contains "$T/err" "$want"
	assert_contains "$T/out" "fetched 0, unchanged 0, changed 0, failed 1"
	assert_eq "$(status_of doc state)" failing "state after '$want'"
	err=$(status_of doc error)
	case $err in *"$DOC_URL"*) ;; *) fail "the error does not name $DOC_URL: $err" ;; esac
	case $err in *"$want"*) ;; *) fail "the error '$err' does not say '$want'" ;; esac
}

# fault_lifecycle FAULT WANT [FETCH-LINES...]: the whole life of one fault
# (see the top of this file). FAULT is the text of doc.html.fault.
fault_lifecycle() {
	local fault=$1 want=$2
	shift 2
	doc_setup "$@"
	printf '%s\n' "$fault" >"$WWW/doc.html.fault"
	expect_doc_failure "$want"
	assert_eq "$(git_count doc)" 0 "versions after a failed first fetch"
	assert_eq "$(status_of doc failures)" 1 "consecutive failures"
	assert_eq "$(status_of doc last_change)" null "last change before any version"

	rm "$WWW/doc.html.fault"
	expect_exit 0 rl fetch
	assert_contains "$T/out" "doc: new"
	assert_eq "$(git_count doc)" 1 "versions once the fault lifted"
	assert_eq "$(status_of doc state)" ok "state once the fault lifted"
	local changed
	changed=$(status_of doc last_change)

	# The page changes, but the answer is broken again: nothing is written.
	make_page "$T/v2.txt" "$WWW/doc.html"
	printf '%s\n' "$fault" >"$WWW/doc.html.fault"
	expect_doc_failure "$want"
	assert_eq "$(git_count doc)" 1 "versions after a failed fetch"
	assert_eq "$(status_of doc last_change)" "$changed" "last change after a failed fetch"
	expect_exit 0 rl show doc
	assert_contains "$T/out" "steadfast combined"
	git --git-dir="$ARCHIVE" show doc:text.md >"$T/tip.md"
	assert_not_contains "$T/tip.md" "robust combined"

	rm "$WWW/doc.html.fault"
	expect_exit 0 rl fetch
	assert_contains "$T/out" "doc: changed"
	assert_eq "$(git_count doc)" 2 "versions after healing"
	assert_eq "$(status_of doc error)" null "error after healing"
	assert_eq "$(status_of doc failures)" 0 "failures after healing"
}

# page_text N [NEWS]: two sentences that differ from page to page (lines
# that repeat across pages are removed as running furniture); with NEWS,
# the first sentence says it instead.
PAGE_SENTENCES=(
	"The alliance remains the foundation of peace and stability in the region."
	"Defense reform continues with new technologies and a smaller standing force."
	"Reserve forces train more often and with modern equipment."
	"Cooperation with neighbouring countries covers maritime security and disaster relief."
	"The budget grows each year to pay for surveillance and command systems."
	"Soldiers serve shorter terms and receive better pay and housing."
	"Cyber defense units protect networks that the public depends on."
	"Veterans are honoured and supported by a new administration."
)
page_text() {
	local i=$(($1 % ${#PAGE_SENTENCES[@]}))
	printf '%s\n%s\n' "${2:-${PAGE_SENTENCES[$i]}}" \
		"${PAGE_SENTENCES[$(((i + 3) % ${#PAGE_SENTENCES[@]}))]}"
}
