/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * helper.h - programs the outer process starts and owns outside the sandbox:
 * pasta or slirp4netns for the network, xdg-dbus-proxy for the session bus.
 *
 * A helper never outlives the sandbox: it gets PR_SET_PDEATHSIG before exec
 * (and gives up if we died first), leaves the terminal's process group, and
 * receives exactly the file descriptors it is told about.
 */
#pragma once

#include <sys/types.h>

/* struct helper_exec - what the forked child needs, prepared before fork(). */
struct helper_exec {
	const char *exe; /* absolute path */
	char **argv;
	int stdin_fd;	 /* becomes fd 0: /dev/null, or a readiness pipe */
	int log_fd;	 /* becomes fds 1 and 2: read back when the helper fails */
	int keep_fds[2]; /* passed on at the same numbers, -1 when unused; ascending */
};

/**
 * helper_spawn() - fork and exec @h; the child makes only async-signal-safe
 * calls. Returns the pid, or -errno (logged, naming @h->exe).
 */
pid_t helper_spawn(const struct helper_exec *h);

/**
 * helper_find() - the first executable regular file called @name in an
 * absolute $PATH entry (never the current directory), or NULL. New string.
 */
char *helper_find(const char *name);

/**
 * helper_private_dir() - create @path 0700, or accept an existing one only when
 * it is a real directory (not a symlink), owned by us and closed to others.
 * 0 or -errno (logged).
 */
int helper_private_dir(const char *path);
