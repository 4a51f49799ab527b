/* The redline command: one file per command (cmd-*.c), one table (main.c). */
#ifndef REDLINE_CLI_H
#define REDLINE_CLI_H

#include <getopt.h>
#include <stdatomic.h>
#include <stdio.h>

#include "redline.h"
#include "redline/thread.h"

/* Exit statuses (DESIGN.md): 0 success, 1 a difference or a failure the
 * command reports, 2 usage or configuration error. */
enum { EXIT_DIFF = 1, EXIT_USAGE = 2 };

typedef struct cli_ctx {
	const char *config_path;  /* -c, $REDLINE_CONFIG or the default */
	int config_explicit;      /* -c or $REDLINE_CONFIG was given */
	const char *archive_path; /* -A */
	rl_config *config;        /* loaded by cli_config() */
	rl_archive *archive;      /* opened by cli_archive() */
	const struct cli_command *cmd;
	int git_ready; /* git_libgit2_init() was called (cli_git) */
} cli_ctx;

typedef struct cli_command {
	const char *name;
	const char *usage;   /* "diff SOURCE | REV_A REV_B [--format F]" */
	const char *summary; /* one line for `redline help` */
	const char *help;    /* options, one per line, for `redline CMD --help` */
	int (*run)(cli_ctx *ctx, int argc, char **argv);
	/* Sets up libgit2 only when it reads a configuration or an archive
	 * (cli_config, cli_archive): libgit2 parses the system's CA bundle
	 * when it starts, milliseconds a command on two files need not pay,
	 * and is not even loaded until then (redline/git-loader.h). */
	int lazy_git;
	/* Only shows what is archived, writing nothing there: its objects
	 * are read as git's commands read them, checked by zlib and not
	 * hashed again (rl_archive_verify_reads). */
	int shows_only;
} cli_command;

/* Every command, sorted by name. The table is generated at build time
 * from the `const cli_command cmd_NAME = {` definitions in cli/cmd-*.c,
 * so adding a command is adding its file. */
const cli_command *const *cli_commands(void);
const cli_command *cli_find_command(const char *name);
/* Says on stderr that name is not a command, and which commands it may
 * have meant (a typo or a prefix), like git; returns EXIT_USAGE. */
int cli_unknown_command(const char *name);

/* The list of commands and global options (redline help, redline --help). */
void cli_print_overview(FILE *out);

/* getopt_long for a command: also takes the global -c FILE, -A DIR and
 * --help anywhere on the line. Returns the option, -1 at the end, or
 * '?' after printing a usage error. The caller adds no "c:A:h" itself. */
int cli_getopt(cli_ctx *ctx, int argc, char **argv, const char *shortopts,
	       const struct option *longopts);

/* Prints "redline CMD: message" and the usage line; returns EXIT_USAGE. */
int cli_usage_error(cli_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The report's options, which diff and compare share: their long
 * options (cli_report_longs, the command's whole table) and short ones
 * (CLI_REPORT_SHORTS) for cli_getopt, lines for the command's help
 * (CLI_REPORT_HELP), and what they asked for (from cli_report_defaults). */
typedef struct cli_report_args {
	rl_format format;  /* --format F */
	const char *color; /* --color WHEN */
	int context;       /* -U N, --context N; -1: the format's own */
	int no_moves;      /* --no-moves */
} cli_report_args;

extern const struct option cli_report_longs[];
extern const cli_report_args cli_report_defaults;
#define CLI_REPORT_SHORTS "U:"
#define CLI_REPORT_HELP                                                                            \
	"--format F     word (changed sentences, words marked), unified (sentence lines,\n"        \
	"               git-style hunks), json, html (a self-contained page)\n"                    \
	"--color WHEN   auto (a terminal, unless NO_COLOR is set), always or never\n"              \
	"-U, --context N  unchanged sentences around a change (unified, html; default 3)\n"        \
	"--no-moves     report moved text as deleted and inserted\n"

/* One of the report's options, from cli_getopt's opt and optarg, into
 * args: 1 when opt was one of them, 0 when not, -1 when its value is
 * wrong (the usage error printed). */
int cli_report_option(cli_ctx *ctx, int opt, cli_report_args *args);

/* Prints "redline: message" on stderr; returns code. */
int cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Loads the configuration once; on error prints every problem and returns
 * NULL (exit status 2). A missing default file gives the defaults when
 * `optional` is set (commands that only read the archive with -A). */
/* Sets up libgit2 once (main does it before any command but a lazy_git
 * one, and shuts it down at exit when it was set up). */
void cli_git(cli_ctx *ctx);
rl_config *cli_config(cli_ctx *ctx, int optional);

/* Opens the archive (-A, else [archive] path); NULL after printing why. */
rl_archive *cli_archive(cli_ctx *ctx);

/* Watched terms for a source: its own and the global ones. */
int cli_watch_terms(cli_ctx *ctx, const char *source, rl_strv *out);

/* "auto", "always", "never" for the color of a stream; honours NO_COLOR. */
int cli_color_wanted(const char *mode, FILE *stream);

/* Writes out to stdout, through $PAGER (like git: less -FRX) when stdout
 * is a terminal and paging is not disabled. */
int cli_page_output(const char *data, size_t len);
/* A report rendered straight to standard output as it is written, where
 * no pager is wanted (cli_page_output's test): opts's sink set. What the
 * rendering leaves in its buffer is then nothing, and cli_page_output of
 * it writes nothing. */
void cli_render_to_stdout(rl_render_opts *opts);

/* The report of compare or diff, and the structures it was given, left
 * to the process's exit, which takes their memory back at once: freeing
 * their blocks one by one took 2-5% of a compare of two editions or of
 * the planted pair, 3% of `redline diff` of it (31-41 rotating runs).
 * Held by a static, they are still reachable there, not leaks to
 * valgrind or LeakSanitizer. Any may be NULL. */
void cli_leave_to_exit(rl_report *r, rl_structure *a, rl_structure *b);

/* "src@1a2b3c4 (2026-11-01)" for headers. */
void cli_version_name(const rl_version *v, char *out, size_t outlen);

/* Sets the heap up for diffing texts of `bytes` together (cli/heap.c):
 * freed memory kept rather than handed back, and for large texts the
 * main heap grown once and advised onto huge pages. Called before the
 * diff starts its threads; what a thread allocates in an arena of its
 * own is not advised, unless the thread calls cli_heap_for_thread. */
void cli_heap_for_texts(size_t bytes);
/* The same advice for the arena of the calling thread, grown for about
 * `bytes` of text. An arena outlives its thread: glibc gives it to the
 * next thread started, so the diff's threads find it advised too. */
void cli_heap_for_thread(size_t bytes);

/* ICU and libcrypto, which a diff needs once its texts are read, loaded
 * on a thread of its own meanwhile (cli/preload.c); its arena advised for
 * `arena_bytes` of text (cli_heap_for_thread). With the paths of the
 * files to be read (compare), ICU only when one of them may need it
 * (rl_text_needs_icu) and a CPU is spare besides the files' two
 * threads' (else an extraction that needs ICU loads it); without (NULL),
 * always. With the paths and no spare CPU, libcrypto is left to the
 * file extracted first (cli_preload_crypto). Joined before the command
 * returns: main unloads ICU after. */
typedef struct cli_preload {
	rl_task *task;
	int running;
	size_t arena_bytes;
	const char *const *paths; /* two, or NULL */
	/* a CPU besides the files' threads': counted by the caller, whose
	 * CPUs are the process's (a job's thread may have fewer) */
	int spare_cpu;
	int crypto_later;          /* left to cli_preload_crypto */
	atomic_int crypto_claimed; /* a file's thread is loading it */
} cli_preload;
/* cli_preload_plan, then cli_preload_run. */
void cli_preload_start(cli_preload *p, size_t arena_bytes, const char *const *paths);
/* What the thread will load, decided before the files' threads start
 * (they read it); cli_preload_run starts it. */
void cli_preload_plan(cli_preload *p, size_t arena_bytes, const char *const *paths);
void cli_preload_run(cli_preload *p);
/* libcrypto, when it was left to the files' threads: loaded by the first
 * to call, done extracting its file; the other goes on. */
void cli_preload_crypto(cli_preload *p);
void cli_preload_join(cli_preload *p);

#endif
