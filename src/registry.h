/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * registry.h - running sandboxes: naming them, listing them, entering them
 * (DESIGN.md §7), and reporting a run on --info-fd and --json-status-fd.
 *
 * The outer `sandbox` process writes one entry per named sandbox into a
 * private per-user directory and holds an flock on it for its whole life, so
 * an entry whose lock can be taken is stale. Nothing the sandbox can write is
 * trusted: `enter` identifies its target by owner, start time and namespace
 * ids read live from /proc, through a pidfd.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "model.h"

/* The namespaces of a sandbox, in the order and with the names of /proc/PID/ns. */
enum registry_ns {
	REG_NS_USER,
	REG_NS_MNT,
	REG_NS_PID,
	REG_NS_NET,
	REG_NS_IPC,
	REG_NS_UTS,
	REG_NS_CGROUP,
	_REG_NS_COUNT,
};

/*
 * struct registry_run - what the outer process knows of its own sandbox:
 * its entry (when named) and, once PID 1 runs, its host pid and namespaces.
 */
struct registry_run {
	const struct sandbox_config *config;
	int dir_fd;   /* the registry directory; -1 when unnamed */
	int entry_fd; /* our entry, locked until we exit; -1 when unnamed */
	pid_t pid1;   /* host pid of PID 1 inside; 0 until it runs */
	uint64_t ns[_REG_NS_COUNT];
	/* who the payload is inside, so that `enter` becomes the same */
	uid_t payload_uid;
	gid_t payload_gid;
	bool can_setgroups;
};

/**
 * registry_dir_path() - the registry directory of the calling user:
 * $XDG_RUNTIME_DIR/sandbox, else ${XDG_STATE_HOME:-~/.local/state}/sandbox/run.
 * Returns a new string, or NULL when neither can be worked out. Creates nothing.
 */
char *registry_dir_path(void);

/**
 * registry_claim() - prepare @ret for a run of @c; when @c is named, create
 * and lock its entry, cleaning a stale one. Before any namespace exists, so a
 * duplicate name stops the run. 0 or -errno (logged; -EEXIST: name in use).
 */
int registry_claim(const struct sandbox_config *c, struct registry_run *ret);

/**
 * registry_close_inherited() - in a forked process of the sandbox: close the
 * descriptors that belong to the outer process (the entry, --info-fd,
 * --json-status-fd), so nothing inside can write them.
 */
void registry_close_inherited(const struct registry_run *r);

/**
 * registry_started() - in the outer process, once PID 1 runs as @pid1 (a
 * host pid): read its namespace ids, write the entry, the --info-fd object
 * and the first --json-status-fd line. 0 or -errno (logged); a failure here
 * does not stop the sandbox.
 */
int registry_started(struct registry_run *r, pid_t pid1);

/**
 * registry_finished() - the sandbox ended with exit code @code: write the
 * last --json-status-fd line. The entry stays locked until registry_release().
 */
void registry_finished(struct registry_run *r, int code);

/** registry_release() - remove our entry and close what registry_claim() opened. */
void registry_release(struct registry_run *r);

/**
 * registry_list() - print the running sandboxes of the caller on @f, a table
 * or (@json) a JSON array, with namespace ids read live from /proc. Cleans
 * stale entries. 0 or -errno (logged).
 */
int registry_list(FILE *f, bool json);

/**
 * registry_enter() - run @argv inside the running sandbox @target (a name or
 * the host pid of its PID 1): join its namespaces, become its payload's user
 * with its restrictions (capabilities, no_new_privs, seccomp, environment,
 * working directory) and wait. Returns the command's exit code (128+N when
 * killed by signal N, 126/127 when it cannot be run/found, 125 when the
 * forked side failed), or -errno when the sandbox cannot be entered (logged).
 */
int registry_enter(const char *target, char *const *argv);
