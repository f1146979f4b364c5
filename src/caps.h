/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * caps.h - becoming the payload's user with no capabilities left.
 *
 * Runs in the payload process just before no_new_privs and seccomp. Uses
 * libcap for the capability sets and prctl for the bounding and ambient sets
 * and the securebits.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* struct caps_target - who the payload becomes and what it keeps. */
struct caps_target {
	uid_t uid;
	gid_t gid;
	uint64_t keep;	    /* bit N: keep capability N */
	bool can_setgroups; /* false when setgroups was denied (no helper mapping) */
};

/**
 * caps_become() - switch to @t's uid and gid (supplementary groups cleared when
 * allowed) and reduce every capability set - bounding, inheritable,
 * permitted, effective, ambient - to @t->keep. Locks the securebits so that
 * executing a file as root inside grants nothing. 0 or -errno (logged).
 */
int caps_become(const struct caps_target *t);
