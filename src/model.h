/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * model.h - struct sandbox_config: the plain-data description of one sandbox.
 *
 * Parsers (the command line, profiles, directives) fill it and make no
 * syscalls; the apply code (run_, mount_, idmap_, caps_, net_, filter_) reads
 * it and never parses strings. Everything here is owned by the config and
 * freed by config_free().
 *
 * Merging rule (DESIGN.md §4): list-valued things (the mount plan, env edits,
 * syscall rules) are appended in the order they are written; for every
 * single-valued key the last word wins.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "log.h"

enum mount_kind {
	MOUNT_BIND,	  /* bind SRC[:DEST]          read-write, nosuid, nodev */
	MOUNT_RO_BIND,	  /* ro-bind SRC[:DEST]       read-only on every submount */
	MOUNT_DEV_BIND,	  /* dev-bind SRC[:DEST]      devices allowed */
	MOUNT_TMPFS,	  /* tmpfs DEST [size=] [mode=] */
	MOUNT_PROC,	  /* proc DEST */
	MOUNT_DEV,	  /* dev DEST */
	MOUNT_MQUEUE,	  /* mqueue DEST */
	MOUNT_DIR,	  /* dir DEST [mode=] */
	MOUNT_SYMLINK,	  /* symlink TARGET LINK */
	MOUNT_FILE,	  /* file DEST CONTENT */
	MOUNT_REMOUNT_RO, /* remount-ro DEST */
	MOUNT_CHMOD,	  /* chmod MODE DEST */
	MOUNT_OVERLAY, /* overlay DIR[:DEST] with a private upper layer, or persistent with upper= */
};

/*
 * struct mount_op - one row of the mount plan, executed in order beneath the
 * new root. Paths are absolute and already variable-expanded.
 */
struct mount_op {
	enum mount_kind kind;
	char *src;   /* host path (binds, overlay lower); symlink target; file content */
	char *dest;  /* path inside the new root */
	char *upper; /* overlay: host directory for the upper layer, NULL for a throw-away one */
	bool try_;   /* *-bind-try: skip silently when src does not exist */
	bool has_mode;
	mode_t mode;   /* tmpfs / dir / chmod / file */
	uint64_t size; /* tmpfs size in bytes, 0 = kernel default */
	struct source_loc loc;
};

enum net_mode {
	NET_NONE, /* a new network namespace with loopback up */
	NET_HOST, /* the host's network namespace */
	NET_USER, /* a new network namespace with pasta or slirp4netns attached */
};

enum user_mode {
	USER_ROOT, /* uid/gid 0 inside = the caller outside (the default) */
	USER_SELF, /* the caller's own uid/gid inside */
	USER_ID,   /* an explicit uid[:gid] inside */
};

/* Namespaces other than the user namespace, which is always new. */
enum ns_kind {
	NS_MOUNT,
	NS_PID,
	NS_NET,
	NS_IPC,
	NS_UTS,
	NS_CGROUP,
	_NS_COUNT,
};

enum env_kind {
	ENV_SET,
	ENV_UNSET,
	ENV_KEEP, /* keep VAR from the caller's environment even after clearenv */
};

struct env_op {
	enum env_kind kind;
	char *name;
	char *value; /* ENV_SET only */
};

/* What a seccomp rule does when it matches. */
enum filter_action_kind {
	FILTER_ALLOW,
	FILTER_ERRNO, /* fail with errno */
	FILTER_KILL,  /* kill the process */
	FILTER_LOG,   /* allow and log */
	FILTER_TRAP,  /* SIGSYS */
};

struct filter_action {
	enum filter_action_kind kind;
	int errno_value; /* FILTER_ERRNO */
};

enum filter_cmp {
	FILTER_CMP_EQ,
	FILTER_CMP_NE,
	FILTER_CMP_LT,
	FILTER_CMP_LE,
	FILTER_CMP_GT,
	FILTER_CMP_GE,
	FILTER_CMP_MASKED_EQ, /* (arg & mask) == value; `argN & MASK` means (arg & MASK) != 0 */
	FILTER_CMP_MASK_ANY,  /* any bit of value set: `argN & VALUE` */
};

struct filter_cond {
	unsigned arg; /* 0..5 */
	enum filter_cmp op;
	uint64_t value;
	uint64_t mask; /* FILTER_CMP_MASKED_EQ */
};

#define FILTER_MAX_CONDS 6

/*
 * struct filter_rule - one `syscall allow|deny ...` directive, for one name.
 * A directive naming several syscalls or groups becomes one rule per word,
 * in order; the compiler expands groups and applies "last word wins" per
 * syscall.
 */
struct filter_rule {
	char *name; /* a syscall name or "@group" */
	struct filter_action action;
	unsigned n_conds;
	struct filter_cond conds[FILTER_MAX_CONDS];
	struct source_loc loc;
};

/* struct publish - --publish=HOSTPORT:PORT[/udp] for net user. */
struct publish {
	uint16_t host_port;
	uint16_t sandbox_port;
	bool udp;
};

struct rlimit_op {
	int resource;
	uint64_t soft, hard; /* RLIM_INFINITY allowed */
};

struct sandbox_config {
	/* The command and its arguments; NULL-terminated. */
	char **argv;

	/* Where the profile words came from, for --print-profile and `sandbox list`. */
	char **profile_names;
	/* Every profile file read; the source_loc.file of each word points into this list. */
	char **profile_files;

	/* The mount plan, in order. */
	struct mount_op *mounts;
	size_t n_mounts;
	char *rootfs; /* base tree instead of an empty tmpfs; NULL for tmpfs */

	/* Namespaces kept shared with the caller (the user namespace is never shared). */
	bool share[_NS_COUNT];
	enum net_mode net;
	bool allow_host_loopback;
	struct publish *publish;
	size_t n_publish;

	enum user_mode user;
	uid_t uid; /* USER_ID */
	gid_t gid; /* USER_ID */

	uint64_t cap_keep; /* bit N = capability N kept inside the user namespace */

	bool clearenv;
	struct env_op *env;
	size_t n_env;

	char *chdir;
	char *hostname;
	bool new_session;     /* setsid(); default true */
	bool die_with_parent; /* default true */

	struct rlimit_op *rlimits;
	size_t n_rlimits;

	/* seccomp: the action for syscalls no rule names, then the rules in order */
	bool have_default_action;
	struct filter_action default_action;
	struct filter_rule *rules;
	size_t n_rules;
	bool allow_other_arches; /* `syscall arch all`: do not kill other ABIs */

	/* running sandboxes */
	char *name;
	int info_fd;	    /* -1: none */
	int json_status_fd; /* -1: none */

	/* desktop */
	char **dbus_talk; /* names the app may talk to through xdg-dbus-proxy */
	char **dbus_own;  /* names the app may own */
	bool dbus;	  /* give the app a filtered session bus */
};

/** config_init() - fill @c with the defaults: everything new, net none, root inside, no caps. */
void config_init(struct sandbox_config *c);
/** config_free() - free everything @c owns and reset it. */
void config_free(struct sandbox_config *c);

/** config_add_mount() - append a zeroed mount op of @kind at @loc and return it. */
struct mount_op *config_add_mount(struct sandbox_config *c, enum mount_kind kind,
				  const struct source_loc *loc);
/** config_add_env() - append an environment edit (copies @name and @value). */
void config_add_env(struct sandbox_config *c, enum env_kind kind, const char *name,
		    const char *value);
/** config_add_rule() - append a zeroed seccomp rule and return it. */
struct filter_rule *config_add_rule(struct sandbox_config *c);

/** mount_kind_name() - the directive name of a mount kind ("ro-bind", "tmpfs", ...). */
const char *mount_kind_name(enum mount_kind kind);
/** ns_kind_name() - "mount", "pid", "net", "ipc", "uts", "cgroup". */
const char *ns_kind_name(enum ns_kind kind);
