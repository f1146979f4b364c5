/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * main.c - the command line: options to a config, profiles first, then the
 * options in the order given; actions (--check, --print-profile, ...) and
 * the exit code. The only place that chooses an exit code (DESIGN.md §2).
 *
 * The long options that configure the sandbox are generated from the
 * directive table, so an option and its profile directive cannot drift apart.
 */
#include "config.h"

#include <getopt.h>
#include <string.h>

#include "dbus.h"
#include "directive.h"
#include "filter.h"
#include "net.h"
#include "profile.h"
#include "registry.h"
#include "run.h"

#define EXIT_SETUP 125

enum action {
	ACTION_RUN,
	ACTION_HELP,
	ACTION_VERSION,
	ACTION_CHECK,
	ACTION_PRINT_PROFILE,
	ACTION_LIST_PROFILES,
	ACTION_DUMP_SECCOMP,
	ACTION_LIST_SYSCALL_GROUPS,
};

enum {
	OPT_PROFILE = 0x100,
	OPT_CHECK,
	OPT_PRINT_PROFILE,
	OPT_LIST_PROFILES,
	OPT_DUMP_SECCOMP,
	OPT_LIST_SYSCALL_GROUPS,
	OPT_DIRECTIVE_BASE = 0x1000,
};

static const struct option action_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "print-profile", no_argument, NULL, OPT_PRINT_PROFILE },
	{ "list-profiles", no_argument, NULL, OPT_LIST_PROFILES },
	{ "dump-seccomp", no_argument, NULL, OPT_DUMP_SECCOMP },
	{ "list-syscall-groups", no_argument, NULL, OPT_LIST_SYSCALL_GROUPS },
};

/* One option from the command line that becomes a directive, kept in order. */
struct cli_item {
	const struct directive *d; /* NULL: --profile */
	const char *value;
	unsigned argi;
};

struct cli {
	enum action action;
	struct cli_item *items;
	size_t n_items;
	bool profile_given;
	char **command;
};

/* Print @text from column @indent on, wrapped before column 80 at spaces. */
static void print_wrapped(FILE *f, const char *text, size_t indent)
{
	size_t col = indent;
	while (*text) {
		size_t word = strcspn(text, " ");
		if (col > indent && col + 1 + word > 79) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fwrite(text, 1, word, f);
		col += word;
		text += word;
		while (*text == ' ')
			text++;
	}
	fputc('\n', f);
}

static void usage(FILE *f)
{
	fputs("Usage: sandbox [OPTION...] [--] COMMAND [ARG...]\n"
	      "       sandbox list [--json]\n"
	      "       sandbox enter NAME|PID [--] COMMAND [ARG...]\n"
	      "Run COMMAND in a new rootless sandbox: its own user, mount, pid, network, ipc,\n"
	      "uts and cgroup namespaces, a private root, no capabilities, a seccomp filter.\n"
	      "\n"
	      "Profiles:\n"
	      "      --profile=NAME|PATH      load a profile (repeatable; default: 'default')\n"
	      "      --list-profiles          list the profiles in the search path\n"
	      "      --print-profile          print the effective profile of this run and exit\n"
	      "      --check                  check the profiles and options, run nothing\n"
	      "      --dump-seccomp           print the compiled seccomp filter (PFC) and exit\n"
	      "      --list-syscall-groups    print the syscall groups and their members\n"
	      "\n"
	      "Sandbox options (each is also a profile directive:\n"
	      "--ro-bind=/opt is `ro-bind /opt` in a profile):\n",
	      f);
	for (const struct directive *d = directive_table(); d->name; d++) {
		char left[64];
		if (d->cli == DIRECTIVE_CLI_NONE)
			continue;
		if (d->cli == DIRECTIVE_CLI_FLAG)
			snprintf(left, sizeof(left), "--%s[=yes|no]", d->name);
		else
			snprintf(left, sizeof(left), "--%s=%s", d->name, d->arg_help);
		if (strlen(left) > 28)
			fprintf(f, "      %s\n%35s", left, "");
		else
			fprintf(f, "      %-28s ", left);
		print_wrapped(f, d->help, 35);
	}
	fputs("\n"
	      "Other options:\n"
	      "  -q, --quiet                  do not print notices\n"
	      "  -h, --help                   show this help and exit\n"
	      "  -V, --version                show the version and exit\n"
	      "\n"
	      "Exit status: the command's own; 128+N if it was killed by signal N; 125 if\n"
	      "the sandbox could not be set up; 126 if COMMAND cannot be executed; 127 if it\n"
	      "is not found.\n"
	      "\n"
	      "Examples:\n"
	      "  sandbox -- make test                    build with the default profile\n"
	      "  sandbox --profile=build -- make         the untrusted-build profile\n"
	      "  sandbox --net=user -- curl https://...  with user-mode networking\n"
	      "\n"
	      "See sandbox(1) and sandbox-profile(5).\n",
	      f);
}

static struct option *build_options(void)
{
	size_t n = ARRAY_SIZE(action_options), k = 0;
	for (const struct directive *d = directive_table(); d->name; d++)
		n++;
	struct option *opts = xcalloc(n + 1, sizeof(*opts));
	for (size_t i = 0; i < ARRAY_SIZE(action_options); i++)
		opts[k++] = action_options[i];
	int idx = 0;
	for (const struct directive *d = directive_table(); d->name; d++, idx++) {
		if (d->cli == DIRECTIVE_CLI_NONE)
			continue;
		opts[k++] = (struct option){
			.name = d->name,
			.has_arg = d->cli == DIRECTIVE_CLI_FLAG ? optional_argument
								: required_argument,
			.val = OPT_DIRECTIVE_BASE + idx,
		};
	}
	return opts;
}

static void cli_push(struct cli *cli, const struct directive *d, const char *value, unsigned argi)
{
	cli->items = xreallocarray(cli->items, cli->n_items + 1, sizeof(*cli->items));
	cli->items[cli->n_items++] = (struct cli_item){ .d = d, .value = value, .argi = argi };
}

static int set_action(struct cli *cli, enum action a)
{
	if (cli->action != ACTION_RUN && cli->action != a) {
		log_error(
			"only one of --check, --print-profile, --list-profiles, --dump-seccomp and "
			"--list-syscall-groups can be given");
		return -EINVAL;
	}
	cli->action = a;
	return 0;
}

/* An unknown --option: name the closest known one when it is close. */
static void log_unknown_option(const struct option *opts, const char *arg)
{
	_cleanup_free_ char *name = xstrdup(startswith(arg, "--") ? arg + 2 : arg);
	name[strcspn(name, "=")] = '\0';
	const char *best = NULL;
	unsigned best_d = 3;
	for (const struct option *o = opts; o->name; o++) {
		unsigned d = string_distance(name, o->name);
		if (d < best_d) {
			best_d = d;
			best = o->name;
		}
	}
	if (best)
		log_error("unknown option '--%s'; did you mean '--%s'?", name, best);
	else
		log_error("unknown option '--%s'; see sandbox --help", name);
}

static int parse_cli(int argc, char **argv, struct cli *cli)
{
	_cleanup_free_ struct option *opts = build_options();
	opterr = 0;
	for (;;) {
		int prev = optind;
		int c = getopt_long(argc, argv, "+hVq", opts, NULL);
		if (c == -1)
			break;
		const char *arg = argv[optind - 1];
		int r = 0;
		switch (c) {
		case 'h':
			r = set_action(cli, ACTION_HELP);
			break;
		case 'V':
			r = set_action(cli, ACTION_VERSION);
			break;
		case 'q':
			log_set_quiet(true);
			break;
		case OPT_PROFILE:
			cli_push(cli, NULL, optarg, (unsigned)prev);
			cli->profile_given = true;
			break;
		case OPT_CHECK:
			r = set_action(cli, ACTION_CHECK);
			break;
		case OPT_PRINT_PROFILE:
			r = set_action(cli, ACTION_PRINT_PROFILE);
			break;
		case OPT_LIST_PROFILES:
			r = set_action(cli, ACTION_LIST_PROFILES);
			break;
		case OPT_DUMP_SECCOMP:
			r = set_action(cli, ACTION_DUMP_SECCOMP);
			break;
		case OPT_LIST_SYSCALL_GROUPS:
			r = set_action(cli, ACTION_LIST_SYSCALL_GROUPS);
			break;
		case '?':
			if (optopt && optopt < 0x100)
				log_error("unknown option '-%c'; see sandbox --help", optopt);
			else if (optopt)
				log_error("option '%s' needs a value, like %s=VALUE", arg, arg);
			else
				log_unknown_option(opts, arg);
			return -EINVAL;
		case ':':
			log_error("option '%s' needs a value", arg);
			return -EINVAL;
		default:
			if (c >= OPT_DIRECTIVE_BASE) {
				const struct directive *d =
					&directive_table()[c - OPT_DIRECTIVE_BASE];
				cli_push(cli, d, optarg, (unsigned)prev);
			}
			break;
		}
		if (r < 0)
			return r;
	}
	if (optind < argc)
		cli->command = &argv[optind];
	return 0;
}

/* Turn one command-line option into a directive and apply it. */
static int apply_cli_item(struct sandbox_config *c, const struct cli_item *it)
{
	struct source_loc loc = { .file = NULL, .line = 0, .column = it->argi };
	if (!it->d)
		return profile_load(c, it->value, NULL);

	struct profile_words w = { 0 };
	int r = 0;
	if (!it->value) {
		/* a flag given without a value */
	} else if (it->d->cli == DIRECTIVE_CLI_SPLIT) {
		r = profile_split(it->value, &loc, &w);
	} else {
		strv_push(&w.words, xstrdup(it->value));
		w.locs = xcalloc(1, sizeof(*w.locs));
		w.locs[0] = loc;
		w.n = 1;
	}
	if (r == 0) {
		struct directive_args a = {
			.name = it->d->name,
			.words = w.words ? w.words : (char *[]){ NULL },
			.locs = w.locs,
			.n = w.n,
			.loc = loc,
		};
		r = directive_apply(c, &a);
	}
	profile_words_free(&w);
	return r;
}

static int build_config(const struct cli *cli, struct sandbox_config *c)
{
	int r;
	/* Profiles first, in the order given; the options come after all of
	 * them, so an option always has the last word (DESIGN.md §4). */
	if (!cli->profile_given && (r = profile_load(c, "default", NULL)) < 0)
		return r;
	for (size_t i = 0; i < cli->n_items; i++)
		if (!cli->items[i].d && (r = apply_cli_item(c, &cli->items[i])) < 0)
			return r;
	for (size_t i = 0; i < cli->n_items; i++)
		if (cli->items[i].d && (r = apply_cli_item(c, &cli->items[i])) < 0)
			return r;
	if (cli->command)
		for (char **p = cli->command; *p; p++)
			strv_push(&c->argv, xstrdup(*p));
	return 0;
}

/* The directories whose contents configure the next run, kept read-only inside. */
static char **protected_dirs(void)
{
	char **dirs = profile_search_path();
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg == '/')
		strv_push(&dirs, xasprintf("%s/sandbox", xdg));
	else if (home && *home == '/')
		strv_push(&dirs, xasprintf("%s/.config/sandbox", home));
	/* A sandbox must not forge or remove the entries of running ones. */
	char *registry = registry_dir_path();
	if (registry)
		strv_push(&dirs, registry);
	return dirs;
}

/* `sandbox list [--json]` and `sandbox enter NAME|PID [--] COMMAND...` (DESIGN.md §7). */
static int run_subcommand(int argc, char **argv)
{
	if (streq(argv[1], "list")) {
		bool json = argc == 3 && streq(argv[2], "--json");
		if (argc > 3 || (argc == 3 && !json)) {
			log_error("usage: sandbox list [--json]");
			return EXIT_SETUP;
		}
		return registry_list(stdout, json) < 0 ? EXIT_SETUP : 0;
	}
	if (argc < 3) {
		log_error("enter: usage: sandbox enter NAME|PID [--] COMMAND [ARG...]");
		return EXIT_SETUP;
	}
	char **cmd = argv + 3;
	if (*cmd && streq(*cmd, "--"))
		cmd++;
	static char *shell[] = { "/bin/sh", NULL };
	int r = registry_enter(argv[2], *cmd ? cmd : shell);
	return r < 0 ? EXIT_SETUP : r;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && (streq(argv[1], "list") || streq(argv[1], "enter")))
		return run_subcommand(argc, argv);
	struct cli cli = { 0 };
	if (parse_cli(argc, argv, &cli) < 0)
		return EXIT_SETUP;

	switch (cli.action) {
	case ACTION_HELP:
		usage(stdout);
		return 0;
	case ACTION_VERSION:
		printf("sandbox %s\n"
		       "Copyright (C) 2026 the sandbox authors.\n"
		       "License GPLv2+: GNU GPL version 2 or later "
		       "<https://gnu.org/licenses/gpl.html>.\n"
		       "This is free software: you are free to change and redistribute it.\n"
		       "There is NO WARRANTY, to the extent permitted by law.\n",
		       PACKAGE_VERSION);
		return 0;
	case ACTION_LIST_PROFILES:
		return profile_list(stdout) < 0 ? EXIT_SETUP : 0;
	case ACTION_LIST_SYSCALL_GROUPS:
		filter_print_groups(stdout);
		return 0;
	default:
		break;
	}

	struct sandbox_config c;
	config_init(&c);
	if (build_config(&cli, &c) < 0) {
		config_free(&c);
		free(cli.items);
		return EXIT_SETUP;
	}
	free(cli.items);

	int code = 0;
	struct filter_program prog = { 0 };
	struct dbus_env bus_env;
	dbus_env_get(&bus_env);
	switch (cli.action) {
	case ACTION_PRINT_PROFILE:
		directive_print_config(&c, stdout);
		break;
	case ACTION_DUMP_SECCOMP:
		code = filter_dump(&c, stdout) < 0 ? EXIT_SETUP : 0;
		break;
	case ACTION_CHECK:
		net_prepare_config(&c);
		if (dbus_prepare_config(&c, &bus_env) < 0 || filter_compile(&c, &prog) < 0)
			code = EXIT_SETUP;
		break;
	default:
		if (!c.argv) {
			log_error("no command given; usage: sandbox [OPTION...] [--] COMMAND "
				  "[ARG...] "
				  "(see sandbox --help)");
			code = EXIT_SETUP;
			break;
		}
		net_prepare_config(&c);
		if (dbus_prepare_config(&c, &bus_env) < 0) {
			code = EXIT_SETUP;
			break;
		}
		/* Compiled before any namespace exists: a bad filter stops the run here. */
		if (filter_compile(&c, &prog) < 0) {
			code = EXIT_SETUP;
			break;
		}
		_cleanup_strv_free_ char **protect = protected_dirs();
		/* Before any namespace exists: a name in use stops the run here. */
		struct registry_run reg;
		if (registry_claim(&c, &reg) < 0) {
			code = EXIT_SETUP;
			break;
		}
		struct run_request req = {
			.config = &c, .filter = &prog, .protect = protect, .registry = &reg
		};
		code = run_sandbox(&req);
		registry_release(&reg);
		break;
	}
	filter_program_free(&prog);
	config_free(&c);
	return code;
}
