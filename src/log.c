/* SPDX-License-Identifier: GPL-2.0-or-later */
/* log.c - messages to the user (see log.h). */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "log.h"

static FILE *log_stream;
static bool log_quiet;

void log_set_stream(FILE *f)
{
	log_stream = f;
}

void log_set_quiet(bool quiet)
{
	log_quiet = quiet;
}

static FILE *out(void)
{
	return log_stream ? log_stream : stderr;
}

static void vlog(const char *prefix, const char *fmt, va_list ap, const char *suffix)
{
	/* One fprintf-sized buffer, written at once, so lines from several
	 * processes of the sandbox do not interleave mid-line. */
	char buf[2048];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		return;
	fprintf(out(), "%s%s%s\n", prefix, buf, suffix ? suffix : "");
	fflush(out());
}

void log_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("sandbox: ", fmt, ap, NULL);
	va_end(ap);
}

int log_errno(int err, const char *fmt, ...)
{
	char suffix[256];
	snprintf(suffix, sizeof(suffix), ": %s", strerror(err < 0 ? -err : err));
	va_list ap;
	va_start(ap, fmt);
	vlog("sandbox: ", fmt, ap, suffix);
	va_end(ap);
	return err < 0 ? err : -err;
}

void log_notice(const char *fmt, ...)
{
	if (log_quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	vlog("sandbox: ", fmt, ap, NULL);
	va_end(ap);
}

int log_at(const struct source_loc *loc, const char *fmt, ...)
{
	char prefix[4200];
	if (loc && loc->file)
		snprintf(prefix, sizeof(prefix), "%s:%u:%u: ", loc->file, loc->line, loc->column);
	else
		snprintf(prefix, sizeof(prefix), "sandbox: command line: ");
	va_list ap;
	va_start(ap, fmt);
	vlog(prefix, fmt, ap, NULL);
	va_end(ap);
	return -EINVAL;
}
