/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * directive.h - the one vocabulary shared by profiles and the command line.
 *
 * Every directive is also a long option and every option that configures the
 * sandbox is a directive: `ro-bind /usr` in a profile is `--ro-bind=/usr` on
 * the command line. This module owns the table of directives, turns their
 * words into struct sandbox_config (pure: no syscalls), and prints a config
 * back as a profile (--print-profile) that parses to the same config.
 */
#pragma once

#include <stdio.h>

#include "model.h"

/* How a directive's value arrives on the command line. */
enum directive_cli {
	DIRECTIVE_CLI_WORD,  /* --x=VALUE is one word, taken verbatim (paths) */
	DIRECTIVE_CLI_SPLIT, /* --x='A B C' is split into words like a profile line */
	DIRECTIVE_CLI_FLAG,  /* --x or --x=yes|no; in a profile: `x` or `x yes|no` */
	DIRECTIVE_CLI_NONE,  /* profile only */
};

/*
 * struct directive_args - the words after a directive's name, with where each
 * one came from. words[] is NULL-terminated.
 */
struct directive_args {
	const char *name; /* the directive as written */
	char **words;
	const struct source_loc *locs; /* one per word */
	size_t n;
	struct source_loc loc; /* of the directive name */
};

struct directive {
	const char *name;
	int (*apply)(struct sandbox_config *c, const struct directive_args *a);
	unsigned min_words;
	unsigned max_words; /* UINT_MAX: any number */
	enum directive_cli cli;
	const char *arg_help; /* for --help and the man page: "SRC[:DEST]" */
	const char *help;     /* one line */
};

/** directive_table() - all directives, terminated by an entry with name == NULL. */
const struct directive *directive_table(void);
/** directive_find() - the directive called @name, or NULL. */
const struct directive *directive_find(const char *name);
/**
 * directive_apply() - check the word count of @a against the directive
 * @a->name and apply it to @c. Logs "FILE:LINE:COL: ..." and returns -EINVAL
 * on an unknown directive or bad value. `include` is not handled here (the
 * profile loader owns it).
 */
int directive_apply(struct sandbox_config *c, const struct directive_args *a);

/**
 * directive_print_config() - print @c as a profile that parses back to the
 * same config (--print-profile). The command itself is printed as a comment.
 */
void directive_print_config(const struct sandbox_config *c, FILE *f);

/** parse_bool_word() - yes/no/true/false/on/off/1/0; 0 or -EINVAL. */
int parse_bool_word(const char *s, bool *ret);
/** parse_size_word() - "64M", "1G", "4096" (K/M/G/T suffixes, powers of 1024); 0 or -EINVAL. */
int parse_size_word(const char *s, uint64_t *ret);
/** parse_mode_word() - an octal mode up to 07777; 0 or -EINVAL. */
int parse_mode_word(const char *s, mode_t *ret);
