#!/usr/bin/env bash
# make install with PREFIX and DESTDIR puts the programs, the unit (its
# ExecStart following PREFIX), the sysusers and tmpfiles snippets, the man
# pages, the bash completion and the example configuration in place, and
# nothing outside DESTDIR; uninstall takes them away again.
. "$(dirname "$0")/lib.sh"
root="$T/root"
make -s -C "$TOP" -o all BUILD="$BUILD" PREFIX=/usr DESTDIR="$root" install >"$T/install.log" 2>&1 ||
	fail "make install: $(tail -20 "$T/install.log")"
for f in bin/redline bin/redlined lib/systemd/system/redlined.service lib/sysusers.d/redline.conf \
	lib/tmpfiles.d/redline.conf share/man/man1/redline.1 share/man/man5/redline.conf.5 \
	share/man/man8/redlined.8 share/bash-completion/completions/redline \
	share/doc/redline/redline.conf share/doc/redline/daemon.md; do
	[ -e "$root/usr/$f" ] || fail "make install did not install /usr/$f"
done
[ -x "$root/usr/bin/redlined" ] || fail "redlined is not executable"
assert_contains "$root/usr/lib/systemd/system/redlined.service" "ExecStart=/usr/bin/redlined -c /etc/redline/redline.conf"
[ "$(find "$root" -type f | grep -vc "^$root/usr/")" = 0 ] || fail "files outside PREFIX"
"$root/usr/bin/redline" -c "$root/usr/share/doc/redline/redline.conf" config check >"$T/out" 2>&1 ||
	fail "the example configuration does not check: $(cat "$T/out")"
bash -n "$root/usr/share/bash-completion/completions/redline" || fail "completion script"
make -s -C "$TOP" BUILD="$BUILD" PREFIX=/usr DESTDIR="$root" uninstall >>"$T/install.log" 2>&1 ||
	fail "make uninstall"
[ "$(find "$root" -type f | wc -l)" = 0 ] || fail "left after uninstall: $(find "$root" -type f)"
pass
