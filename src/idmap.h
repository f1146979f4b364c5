/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * idmap.h - user and group id maps of the sandbox's user namespace.
 *
 * Parsing /etc/subuid and /etc/subgid and planning the map are pure; writing
 * the map runs newuidmap and newgidmap (found on PATH, setuid root, from the
 * `uidmap` package) concurrently, or falls back to writing a single mapping
 * of the caller's own ids directly, with one notice that says why.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "model.h"

/* struct idmap_range - one line of a map: inside, outside, count. */
struct idmap_range {
	unsigned long inside, outside, count;
};

#define IDMAP_MAX_RANGES 3

/* struct idmap_plan - what is written to uid_map and gid_map. */
struct idmap_plan {
	struct idmap_range uid[IDMAP_MAX_RANGES], gid[IDMAP_MAX_RANGES];
	unsigned n_uid, n_gid;
	bool use_helpers; /* newuidmap/newgidmap; false: write directly, setgroups denied */
	uid_t setup_uid;  /* who the setup runs as inside (0 when mapped) */
	gid_t setup_gid;
	uid_t payload_uid; /* who the command runs as inside */
	gid_t payload_gid;
};

/**
 * idmap_find_subid() - find the first range for @user (by name) or @id (by
 * number) in a subuid/subgid file's @text ("name:start:count" lines).
 * Returns 0 and fills *@ret, -ENOENT when there is none.
 */
int idmap_find_subid(const char *text, const char *user, unsigned long id, struct idmap_range *ret);

/**
 * idmap_plan() - pure: plan the maps for @c given the caller's ids and the
 * subordinate ranges (NULL when the caller has none or the helpers cannot be
 * used). Returns 0, or -EINVAL (logged) when the requested inside user cannot
 * be mapped (for example `user 1000` without a subuid range).
 */
int idmap_plan(const struct sandbox_config *c, uid_t uid, gid_t gid,
	       const struct idmap_range *subuid, const struct idmap_range *subgid,
	       struct idmap_plan *ret);

/**
 * idmap_prepare() - outside, before the clone: look up the caller's ranges and
 * the helpers, print the fallback notice when needed, and plan the maps.
 */
int idmap_prepare(const struct sandbox_config *c, struct idmap_plan *ret);

/** idmap_write() - outside: write the maps of process @pid as planned. 0 or -errno (logged). */
int idmap_write(pid_t pid, const struct idmap_plan *plan);

/*
 * struct userns_facts - what the outer process read about this machine when
 * a sandbox could not be set up: the sysctls (-1 when absent), how it failed,
 * and where this binary and the shipped AppArmor profile are.
 */
struct userns_facts {
	int unprivileged_userns_clone; /* kernel.unprivileged_userns_clone (Debian, older) */
	int max_user_namespaces;       /* user.max_user_namespaces */
	int apparmor_restrict;	       /* kernel.apparmor_restrict_unprivileged_userns (Ubuntu) */
	const char *apparmor_label;    /* our AppArmor label, NULL when unknown */
	bool clone_failed;	       /* clone(CLONE_NEWUSER) itself failed, with @err */
	int err;		       /* -errno */
	const char *exe;	       /* this binary, NULL when unknown */
	const char *installed_exe;     /* where make install puts it */
	const char *apparmor_profile;  /* where make install puts the AppArmor profile */
};

/**
 * userns_advice() - pure: why a user namespace could not be created or used,
 * and the command that fixes it, from @f. Returns a malloc'd sentence, or
 * NULL when the facts point at no known cause (the caller then reports the
 * error as it is).
 */
char *userns_advice(const struct userns_facts *f);
