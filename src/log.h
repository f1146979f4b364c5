/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * log.h - the one way this program talks to the user on stderr.
 *
 * The function that finds an error logs it once, with context, and returns
 * -errno; callers propagate without logging again (STYLE.md). Messages start
 * with "sandbox: ". Errors in profiles or options carry a source location.
 */
#pragma once

#include <stdio.h>

#include "util.h"

/*
 * struct source_loc - where a word came from: a profile file and its
 * 1-based line and column, or the command line (file == NULL, line = 0,
 * column = index of the argument in argv).
 */
struct source_loc {
	const char *file;
	unsigned line;
	unsigned column;
};

/** log_set_stream() - send messages to @f instead of stderr (unit tests capture them). */
void log_set_stream(FILE *f);
/** log_set_quiet() - suppress notices (errors are still printed). */
void log_set_quiet(bool quiet);

/** log_error() - "sandbox: MESSAGE" on stderr. */
void log_error(const char *fmt, ...) _printf_(1, 2);
/** log_errno() - "sandbox: MESSAGE: strerror(-err)"; returns @err so callers can `return
 * log_errno(...)`. */
int log_errno(int err, const char *fmt, ...) _printf_(2, 3);
/** log_notice() - a one-line notice that does not stop the run. */
void log_notice(const char *fmt, ...) _printf_(1, 2);
/**
 * log_at() - an error about a word in a profile or on the command line:
 * "FILE:LINE:COLUMN: MESSAGE" or "sandbox: command line: MESSAGE".
 * Returns -EINVAL so parsers can `return log_at(...)`.
 */
int log_at(const struct source_loc *loc, const char *fmt, ...) _printf_(2, 3);
