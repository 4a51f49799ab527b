#!/usr/bin/env bash
# make lint: clang-format (the layout .clang-format describes; `make format`
# applies it), clang-tidy and cppcheck over the project's own C files.
set -u
cd "$(dirname "$0")/.."
flags=(-std=c11 -D_GNU_SOURCE -Iinclude -Ibuild/gen -Itests -DRL_VERSION='"lint"')
for p in libgit2 libcurl libxml-2.0 poppler-glib icu-uc jansson libsystemd openssl cmocka libmicrohttpd; do
	for f in $(pkg-config --cflags "$p" 2>/dev/null); do
		case $f in -I*) flags+=(-isystem "${f#-I}") ;; *) flags+=("$f") ;; esac
	done
done
mkdir -p build/gen
[ -f build/gen/commands.h ] || scripts/gen-commands.sh cli/cmd-*.c >build/gen/commands.h
files=$(ls archive/*.c archive/*/*.c cli/*.c daemon/*.c tests/server/*.c 2>/dev/null)
status=0
echo "clang-format..."
# shellcheck disable=SC2046
for f in $(git ls-files '*.c' '*.h' 2>/dev/null || ls $files include/redline/*.h); do
	clang-format --dry-run --Werror "$f" >/dev/null 2>&1 ||
		{ echo "$f: not as .clang-format lays it out (make format)"; status=1; }
done
echo "clang-tidy..."
# shellcheck disable=SC2086
clang-tidy --quiet $files -- "${flags[@]}" 2>/dev/null | grep -E 'warning:|error:' -A3 && status=1
echo "cppcheck..."
cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,portability,performance \
	--inline-suppr --suppress=missingIncludeSystem -Iinclude -Ibuild/gen \
	archive cli daemon tests/server || status=1
[ $status = 0 ] && echo "lint: clean"
exit $status
