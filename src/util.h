/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * util.h - small helpers every module uses: allocation that aborts on OOM,
 * cleanup attributes that own resources, and fd/string helpers.
 *
 * Nothing here logs or exits except the x*alloc family, which abort: running
 * out of memory is not an error value in this program (STYLE.md).
 */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define ARRAY_SIZE(a)  (sizeof(a) / sizeof((a)[0]))
#define _unused_       __attribute__((unused))
#define _noreturn_     __attribute__((noreturn))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _cleanup_(f)   __attribute__((cleanup(f)))

/** xmalloc() - malloc() that aborts when memory is exhausted. */
void *xmalloc(size_t size);
/** xcalloc() - calloc() that aborts when memory is exhausted. */
void *xcalloc(size_t n, size_t size);
/** xrealloc() - realloc() that aborts when memory is exhausted. */
void *xrealloc(void *p, size_t size);
/** xreallocarray() - reallocarray() that aborts on overflow or exhaustion. */
void *xreallocarray(void *p, size_t n, size_t size);
/** xstrdup() - strdup() that aborts; NULL in gives NULL out. */
char *xstrdup(const char *s);
/** xstrndup() - strndup() that aborts. */
char *xstrndup(const char *s, size_t n);
/** xasprintf() - asprintf() that aborts; returns the new string. */
char *xasprintf(const char *fmt, ...) _printf_(1, 2);

static inline void freep(void *p)
{
	free(*(void **)p);
}

static inline void closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}

static inline void fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

/** strv_free() - free a NULL-terminated array of strings and the array. */
void strv_free(char **v);
static inline void strv_freep(char ***v)
{
	strv_free(*v);
}

#define _cleanup_free_	    _cleanup_(freep)
#define _cleanup_close_	    _cleanup_(closep)
#define _cleanup_fclose_    _cleanup_(fclosep)
#define _cleanup_strv_free_ _cleanup_(strv_freep)

/* Hand ownership on: return the value and disarm the cleanup attribute. */
#define STEAL_PTR(p)                      \
	({                                \
		typeof(p) _stolen_ = (p); \
		(p) = NULL;               \
		_stolen_;                 \
	})
#define STEAL_FD(fd)                 \
	({                           \
		int _stolen_ = (fd); \
		(fd) = -1;           \
		_stolen_;            \
	})

/** streq() - true when two strings are equal. */
static inline bool streq(const char *a, const char *b)
{
	return a && b && __builtin_strcmp(a, b) == 0;
}

/** startswith() - return the rest of @s after @prefix, or NULL when it does not start with it. */
const char *startswith(const char *s, const char *prefix);

/** strv_length() - number of strings in a NULL-terminated array. */
size_t strv_length(char *const *v);
/** strv_push() - append a string (owned by the array from now on) to a NULL-terminated array. */
void strv_push(char ***v, char *s);

/** write_all() - write the whole buffer, retrying on EINTR; returns 0 or -errno. */
int write_all(int fd, const void *buf, size_t len);
/** read_all() - read until EOF or @len bytes; returns bytes read or -errno. */
ssize_t read_all(int fd, void *buf, size_t len);
/**
 * write_file_at() - open @path (relative to @dirfd) for writing, write @s, close.
 * Returns 0 or -errno. Does not create the file.
 */
int write_file_at(int dirfd, const char *path, const char *s);
/**
 * read_file() - read a whole (small) file into a new NUL-terminated buffer.
 * Returns 0 and sets *@ret, or -errno.
 */
int read_file(const char *path, char **ret);

/** string_distance() - Levenshtein distance of two short strings (UINT_MAX when too long). */
unsigned string_distance(const char *a, const char *b);

/** parse_uint() - parse a decimal unsigned number that fits in @max; 0 or -EINVAL/-ERANGE. */
int parse_uint(const char *s, unsigned long max, unsigned long *ret);
