/* SPDX-License-Identifier: GPL-2.0-or-later */
/* config.c - struct sandbox_config lifetime and append helpers (see model.h). */
#include "config.h"

#include <string.h>

#include "model.h"

void config_init(struct sandbox_config *c)
{
	*c = (struct sandbox_config){
		.net = NET_NONE,
		.user = USER_ROOT,
		.new_session = true,
		.die_with_parent = true,
		.info_fd = -1,
		.json_status_fd = -1,
	};
}

void config_free(struct sandbox_config *c)
{
	strv_free(c->argv);
	strv_free(c->profile_names);
	strv_free(c->profile_files);
	for (size_t i = 0; i < c->n_mounts; i++) {
		free(c->mounts[i].src);
		free(c->mounts[i].dest);
		free(c->mounts[i].upper);
	}
	free(c->mounts);
	free(c->rootfs);
	free(c->publish);
	for (size_t i = 0; i < c->n_env; i++) {
		free(c->env[i].name);
		free(c->env[i].value);
	}
	free(c->env);
	free(c->chdir);
	free(c->hostname);
	free(c->rlimits);
	for (size_t i = 0; i < c->n_rules; i++)
		free(c->rules[i].name);
	free(c->rules);
	free(c->name);
	strv_free(c->dbus_talk);
	strv_free(c->dbus_own);
	config_init(c);
}

struct mount_op *config_add_mount(struct sandbox_config *c, enum mount_kind kind,
				  const struct source_loc *loc)
{
	c->mounts = xreallocarray(c->mounts, c->n_mounts + 1, sizeof(*c->mounts));
	struct mount_op *m = &c->mounts[c->n_mounts++];
	*m = (struct mount_op){ .kind = kind };
	if (loc)
		m->loc = *loc;
	return m;
}

void config_add_env(struct sandbox_config *c, enum env_kind kind, const char *name,
		    const char *value)
{
	c->env = xreallocarray(c->env, c->n_env + 1, sizeof(*c->env));
	c->env[c->n_env++] = (struct env_op){
		.kind = kind,
		.name = xstrdup(name),
		.value = xstrdup(value),
	};
}

struct filter_rule *config_add_rule(struct sandbox_config *c)
{
	c->rules = xreallocarray(c->rules, c->n_rules + 1, sizeof(*c->rules));
	struct filter_rule *r = &c->rules[c->n_rules++];
	memset(r, 0, sizeof(*r));
	return r;
}

const char *mount_kind_name(enum mount_kind kind)
{
	static const char *const names[] = {
		[MOUNT_BIND] = "bind",
		[MOUNT_RO_BIND] = "ro-bind",
		[MOUNT_DEV_BIND] = "dev-bind",
		[MOUNT_TMPFS] = "tmpfs",
		[MOUNT_PROC] = "proc",
		[MOUNT_DEV] = "dev",
		[MOUNT_MQUEUE] = "mqueue",
		[MOUNT_DIR] = "dir",
		[MOUNT_SYMLINK] = "symlink",
		[MOUNT_FILE] = "file",
		[MOUNT_REMOUNT_RO] = "remount-ro",
		[MOUNT_CHMOD] = "chmod",
		[MOUNT_OVERLAY] = "overlay",
	};
	return names[kind];
}

const char *ns_kind_name(enum ns_kind kind)
{
	static const char *const names[] = {
		[NS_MOUNT] = "mount", [NS_PID] = "pid", [NS_NET] = "net",
		[NS_IPC] = "ipc",     [NS_UTS] = "uts", [NS_CGROUP] = "cgroup",
	};
	return names[kind];
}
