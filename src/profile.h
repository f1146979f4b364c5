/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * profile.h - the profile language: lexing lines into words, ${VAR}
 * expansion, include/search path/drop-ins, and quoting words back for
 * --print-profile. Pure apart from reading profile files; never creates a
 * namespace. Each directive line is handed to directive_apply().
 */
#pragma once

#include <stdio.h>

#include "model.h"

/*
 * struct profile_words - the words of one line (or one command-line value),
 * each with its own location. Owns everything; free with profile_words_free().
 */
struct profile_words {
	char **words; /* NULL-terminated */
	struct source_loc *locs;
	size_t n;
};

/** profile_words_free() - free the words, their locations, and reset @w. */
void profile_words_free(struct profile_words *w);

struct directive_args;

/**
 * profile_set_directive_handler() - send every directive line to @handler
 * instead of directive_apply() (NULL restores directive_apply()). Lets unit
 * tests see the exact words and locations the loader produces; includes are
 * still handled by the loader.
 */
void profile_set_directive_handler(int (*handler)(struct sandbox_config *c,
						  const struct directive_args *a));

/**
 * profile_split() - split @text into words the way a profile line is split
 * (quotes, backslash escapes, ${VAR} expansion, # comments), without a
 * directive name. Used for command-line values of DIRECTIVE_CLI_SPLIT
 * directives. @loc is where @text starts. 0 or -EINVAL (logged at the word).
 */
int profile_split(const char *text, const struct source_loc *loc, struct profile_words *ret);

/**
 * profile_load() - load the profile @name_or_path into @c: a name without '/'
 * is looked up in the search path (NAME.profile), a name with '/' is a path
 * (relative to the directory of @from's file, or the cwd on the command line).
 * Then NAME.d/ drop-ins are applied in lexical order. Appends the name to
 * c->profile_names. @from is the include site, NULL from the command line.
 * 0 or a negative errno (logged with file:line:column).
 */
int profile_load(struct sandbox_config *c, const char *name_or_path, const struct source_loc *from);

/**
 * profile_load_stream() - parse an already opened profile @f called
 * @filename into @c (unit tests and the fuzzer feed it fmemopen streams).
 * Includes resolve as in profile_load().
 */
int profile_load_stream(struct sandbox_config *c, FILE *f, const char *filename);

/**
 * profile_search_path() - the directories searched for profile names, in
 * order: $XDG_CONFIG_HOME/sandbox/profiles (or ~/.config/...), then the
 * system ones ($SANDBOX_PROFILE_PATH, colon-separated, replaces those).
 * Returns a new NULL-terminated array.
 */
char **profile_search_path(void);

/** profile_list() - print the profile names found in the search path, one per line. */
int profile_list(FILE *f);

/** profile_quote_word() - print @w so that the lexer reads it back as exactly @w. */
void profile_quote_word(const char *w, FILE *f);
