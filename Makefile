# redline — build, test, bench, install, demo, deps.
# Every library comes through pkg-config; `make deps` installs the Debian packages.

.SUFFIXES:
.SECONDARY:
.DEFAULT_GOAL := all
SHELL := /bin/bash

CC ?= cc
BUILD ?= build
PREFIX ?= /usr/local
DESTDIR ?=
SANITIZE ?=

PKGS := libgit2 libcurl libxml-2.0 poppler-glib icu-uc icu-i18n jansson libsystemd openssl zlib
TEST_PKGS := cmocka libmicrohttpd cairo

DEBIAN_PKGS := libgit2-dev libcurl4-openssl-dev zlib1g-dev libxml2-dev libpoppler-glib-dev \
	libicu-dev libjansson-dev libsystemd-dev libssl-dev libcmocka-dev libmicrohttpd-dev \
	pkg-config clang libclang-rt-14-dev git jq curl \
	libxml2-utils openssl systemd strace

# `make V=1` shows whole command lines.
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2)
endif

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

# Third-party headers come in as -isystem so -Werror judges only our code.
pkg_cflags = $(patsubst -I%,-isystem %,$(shell pkg-config --cflags $(1) 2>/dev/null))
pkg_libs = $(shell pkg-config --libs $(1) 2>/dev/null)

# snprintf truncating into a fixed buffer is deliberate where we use it (messages,
# ids); gcc's guesses about it are noise, so -Wformat-truncation is off.
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wno-format-nonliteral -Wvla \
	$(shell $(CC) -Werror -Wno-format-truncation -E -x c /dev/null >/dev/null 2>&1 && \
		echo -Wno-format-truncation)
CSTD := -std=c11 -D_GNU_SOURCE
# -O3: 1.6-2.6% off `redline compare` of two editions, and 2.4-3.9% off
# two versions a day apart, in 100 interleaved runs (doc/differ.md).
OPT ?= -O3 -g
ifeq ($(SANITIZE),1)
OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDSAN := -fsanitize=address,undefined
endif

CFLAGS_ALL := $(CSTD) $(WARN) $(OPT) -Iinclude -DRL_VERSION='"$(VERSION)"' \
	$(call pkg_cflags,$(PKGS)) $(CFLAGS)
# poppler-glib (and the cairo, glib and fontconfig it brings) is loaded with
# dlopen on the first PDF (archive/pdf-loader.c): 8.6 MiB less in every
# process that never sees one. Its headers still come through pkg-config.
# ICU and libxml2 (and the libstdc++ ICU needs) are loaded the same way on
# the first page to extract (archive/text-loader.c): 3.5 MiB less in a pass
# where every page answers 304. libcurl (and the 26 libraries Debian builds
# it with: Kerberos, LDAP, GnuTLS...) is loaded on the first libcurl call
# (archive/curl-loader.c): a command that never fetches or notifies does
# not map it. libgit2 (and the 15 libraries Debian builds it with: mbedTLS,
# libssh2, Kerberos, PCRE2...) and OpenSSL's libcrypto are loaded on the
# first call of one of their functions (archive/git-loader.c): `redline
# compare`, `help` and `--version` do not map them (`--version` in 1.1 ms
# instead of 2.5). The programs do not link them; tests and tools may
# (LOADED_LIBS), for functions of theirs the loaders do not cover.
TEXT_PKGS := icu-uc icu-i18n libxml-2.0
LOADED_PKGS := $(TEXT_PKGS) libcurl libgit2 openssl
LINK_PKGS := $(filter-out poppler-glib $(LOADED_PKGS),$(PKGS))
soname = $(shell objdump -p "$$(pkg-config --variable=libdir $(1) 2>/dev/null)/$(2)" 2>/dev/null | awk '/SONAME/ {print $$2}')
POPPLER_SONAME := $(call soname,poppler-glib,libpoppler-glib.so)
ICUUC_SONAME := $(call soname,icu-uc,libicuuc.so)
ICUI18N_SONAME := $(call soname,icu-i18n,libicui18n.so)
XML2_SONAME := $(call soname,libxml-2.0,libxml2.so)
CURL_SONAME := $(call soname,libcurl,libcurl.so)
GIT2_SONAME := $(call soname,libgit2,libgit2.so)
CRYPTO_SONAME := $(call soname,openssl,libcrypto.so)
CFLAGS_ALL += $(if $(POPPLER_SONAME),-DRL_POPPLER_SONAME='"$(POPPLER_SONAME)"') \
	$(if $(CURL_SONAME),-DRL_CURL_SONAME='"$(CURL_SONAME)"') \
	$(if $(GIT2_SONAME),-DRL_GIT2_SONAME='"$(GIT2_SONAME)"') \
	$(if $(CRYPTO_SONAME),-DRL_CRYPTO_SONAME='"$(CRYPTO_SONAME)"') \
	$(if $(ICUUC_SONAME),-DRL_ICUUC_SONAME='"$(ICUUC_SONAME)"') \
	$(if $(ICUI18N_SONAME),-DRL_ICUI18N_SONAME='"$(ICUI18N_SONAME)"') \
	$(if $(XML2_SONAME),-DRL_XML2_SONAME='"$(XML2_SONAME)"')
LDLIBS_ALL := $(call pkg_libs,$(LINK_PKGS)) -ldl -lpthread -lm $(LDLIBS)
LOADED_LIBS := $(call pkg_libs,$(LOADED_PKGS))
# --as-needed: a program links only the libraries its objects use (the CLI
# drops libsystemd, which only the daemon needs).
LDFLAGS_ALL := $(LDSAN) -Wl,--as-needed $(LDFLAGS)

LIB_SRC := $(sort $(wildcard archive/*.c archive/*/*.c))
CLI_SRC := $(sort $(wildcard cli/*.c))
DAEMON_SRC := $(sort $(wildcard daemon/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test-*.c))
UNIT_HELPERS := $(sort $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c)))
SERVER_SRC := $(sort $(wildcard tests/server/*.c))
SINK_SRC := $(sort $(wildcard tests/sinks/*.c))

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
DAEMON_OBJ := $(DAEMON_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_HELPER_OBJ := $(UNIT_HELPERS:%.c=$(BUILD)/obj/%.o)
SERVER_OBJ := $(SERVER_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

LIB := $(BUILD)/libredline.a
PROGRAMS := $(BUILD)/redline $(BUILD)/redlined
TEST_SERVER := $(BUILD)/tests/rl-testserver
# Receiving ends of the notification tests: one program per tests/sinks/*.c.
SINK_BIN := $(patsubst tests/sinks/%.c,$(BUILD)/tests/%,$(SINK_SRC))

.PHONY: all deps check check-unit check-integration check-asan test-bins demo bench \
	install uninstall lint format clean fuzz fuzz-bins check-extra valgrind

all: $(PROGRAMS) $(LIB)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(BUILD)/obj/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(CC) $(CFLAGS_ALL) $(call pkg_cflags,$(TEST_PKGS)) -Itests -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	$(call say,AR,$@)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

# The command table: one entry per `const cli_command cmd_NAME` in cli/cmd-*.c.
$(BUILD)/gen/commands.h: $(wildcard cli/cmd-*.c) Makefile
	@mkdir -p $(@D)
	$(Q)scripts/gen-commands.sh $(sort $(wildcard cli/cmd-*.c)) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/cli/main.o: $(BUILD)/gen/commands.h
$(BUILD)/obj/cli/main.o: CFLAGS_ALL += -I$(BUILD)/gen

$(BUILD)/redline: $(CLI_OBJ) $(LIB)
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS_ALL)

$(BUILD)/redlined: $(DAEMON_OBJ) $(LIB)
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $(DAEMON_OBJ) $(LIB) $(LDLIBS_ALL)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(UNIT_HELPER_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $< $(UNIT_HELPER_OBJ) $(LIB) $(LDLIBS_ALL) $(LOADED_LIBS) $(call pkg_libs,$(TEST_PKGS))

$(TEST_SERVER): $(SERVER_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $(SERVER_OBJ) $(LIB) $(LDLIBS_ALL) $(LOADED_LIBS) $(call pkg_libs,$(TEST_PKGS))

$(SINK_BIN): $(BUILD)/tests/%: $(BUILD)/obj/tests/sinks/%.o $(LIB)
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $< $(LIB) $(LDLIBS_ALL) $(LOADED_LIBS) $(call pkg_libs,$(TEST_PKGS))

test-bins: $(PROGRAMS) $(UNIT_BIN) $(TEST_SERVER) $(SINK_BIN)

# bench/scale.sh's archive generator, linked against the library.
$(BUILD)/bench/gen-archive: bench/gen-archive.c $(LIB)
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(CC) $(CFLAGS_ALL) $(LDFLAGS_ALL) -o $@ $< $(LIB) $(LDLIBS_ALL) $(LOADED_LIBS)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# --- set-up ---------------------------------------------------------------
deps:
	@scripts/deps.sh $(DEBIAN_PKGS)

# --- tests -----------------------------------------------------------------
check: deps
	@$(MAKE) --no-print-directory test-bins
	@$(MAKE) --no-print-directory check-unit check-integration
	@$(MAKE) --no-print-directory BUILD=build/asan SANITIZE=1 test-bins
	@$(MAKE) --no-print-directory BUILD=build/asan SANITIZE=1 check-unit check-integration
	@$(MAKE) --no-print-directory check-extra
	@echo "make check: all tests passed (plain and ASan+UBSan builds)"

check-unit: $(UNIT_BIN)
	@tests/run-unit.sh $(UNIT_BIN)

check-integration: $(PROGRAMS) $(TEST_SERVER) $(SINK_BIN)
	@BUILD=$(BUILD) tests/integration/run.sh

# Checks that need no second build: each fuzz target for a few seconds on
# seeds from the fixtures (FUZZ_SECONDS each; tests/fuzz/run.sh).
FUZZ_SECONDS ?= 5
check-extra:
	@systemd/check-exposure.sh
	@man/check.sh
	@$(MAKE) --no-print-directory fuzz
	@tests/fuzz/run.sh $(FUZZ_SECONDS)

# --- fuzzing (libFuzzer, clang, ASan + UBSan) -----------------------------------
# The library is built again with clang and -fsanitize=fuzzer-no-link under
# build/fuzz/lib; each tests/fuzz/fuzz-*.c becomes build/fuzz/fuzz-*.
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz-*.c))
FUZZ_BIN := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))

fuzz:
	@$(MAKE) --no-print-directory CC=clang BUILD=build/fuzz/lib SANITIZE=1 \
		CFLAGS=-fsanitize=fuzzer-no-link fuzz-bins

fuzz-bins: $(FUZZ_BIN)

build/fuzz/fuzz-%: tests/fuzz/fuzz-%.c $(LIB)
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -o $@ $< $(LIB) $(LDLIBS_ALL)

# --- memcheck ----------------------------------------------------------------------
# The integration tests with every redline and redlined under valgrind.
valgrind:
	@$(MAKE) --no-print-directory $(PROGRAMS) $(TEST_SERVER) $(SINK_BIN)
	@TEST_TIMEOUT=$${TEST_TIMEOUT:-3600} VALGRIND="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --suppressions=$(CURDIR)/tests/valgrind.supp" \
		BUILD=$(BUILD) tests/integration/run.sh $(VALGRIND_TESTS)

# --- demo ------------------------------------------------------------------
demo: deps
	@$(MAKE) --no-print-directory all $(TEST_SERVER)
	@scripts/demo.sh

# --- benchmarks -------------------------------------------------------------
bench: deps
	@$(MAKE) --no-print-directory all $(TEST_SERVER)
	@bench/run.sh

# --- quality ---------------------------------------------------------------
lint:
	@scripts/lint.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build

# --- install -----------------------------------------------------------------
# PREFIX for programs and documentation; the unit, sysusers and tmpfiles
# snippets go where systemd looks for packaged ones (below PREFIX too, so
# a plain `make install` as a user with DESTDIR never touches /usr or /etc).
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/redline
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
MANPAGES := man/redline.1 man/redlined.8 man/redline.conf.5

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(DOCDIR) $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(COMPLETIONDIR)
	install -m 0755 $(BUILD)/redline $(BUILD)/redlined $(DESTDIR)$(BINDIR)/
	install -m 0644 man/redline.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 man/redline.conf.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 man/redlined.8 $(DESTDIR)$(MANDIR)/man8/
	sed 's|/usr/local/bin/|$(BINDIR)/|' systemd/redlined.service >$(DESTDIR)$(UNITDIR)/redlined.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/redlined.service
	install -m 0644 systemd/redline.sysusers $(DESTDIR)$(SYSUSERSDIR)/redline.conf
	install -m 0644 systemd/redline.tmpfiles $(DESTDIR)$(TMPFILESDIR)/redline.conf
	install -m 0644 completion/redline.bash $(DESTDIR)$(COMPLETIONDIR)/redline
	install -m 0644 examples/redline.conf README.md doc/daemon.md $(DESTDIR)$(DOCDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/redline $(DESTDIR)$(BINDIR)/redlined \
		$(DESTDIR)$(MANDIR)/man1/redline.1 $(DESTDIR)$(MANDIR)/man5/redline.conf.5 \
		$(DESTDIR)$(MANDIR)/man8/redlined.8 $(DESTDIR)$(UNITDIR)/redlined.service \
		$(DESTDIR)$(SYSUSERSDIR)/redline.conf $(DESTDIR)$(TMPFILESDIR)/redline.conf \
		$(DESTDIR)$(COMPLETIONDIR)/redline
	rm -rf $(DESTDIR)$(DOCDIR)
