/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mount.h - building the sandbox's root from the ordered mount plan and
 * entering it with pivot_root.
 *
 * Runs inside the new user, mount and pid namespaces (in PID 1, because a
 * procfs belongs to the pid namespace of the process that mounts it). Every
 * destination is resolved beneath the new root one component at a time with
 * O_NOFOLLOW: a destination with a symlink in it is refused, never followed.
 * Mounts are made with the new mount API (open_tree, mount_setattr with
 * AT_RECURSIVE, move_mount), so the cost of a bind does not grow with the
 * number of binds before it.
 */
#pragma once

#include "model.h"

/* struct mount_request - what the root builder needs beyond the config. */
struct mount_request {
	const struct sandbox_config *config;
	/* Host directories the sandbox must not be able to write (the profile
	 * directories that configure its next run); NULL-terminated. */
	char *const *protect;
};

/**
 * mount_build_root() - make the host's mounts slaves of ours, build the new
 * root on a fresh tmpfs (or the config's rootfs), run the plan in order,
 * protect the listed directories, and pivot_root into it, detaching the old
 * root. Returns 0 or -errno, logged with the failing operation and its
 * profile location.
 */
int mount_build_root(const struct mount_request *req);
