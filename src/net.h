/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * net.h - the network modes: loopback up inside a new network namespace
 * (rtnetlink, no `ip`), and the user-mode networking helper (pasta, or
 * slirp4netns) started and stopped from outside.
 */
#pragma once

#include <sys/types.h>

#include "model.h"

/** net_loopback_up() - bring `lo` up in the current network namespace. 0 or -errno (logged). */
int net_loopback_up(void);

/* struct net_helper - a running pasta/slirp4netns process owned by the outer sandbox. */
struct net_helper {
	pid_t pid; /* 0: none */
	const char *name;
};

/**
 * net_prepare_config() - pure: add what a network mode needs to the mount
 * plan (for net user: an /etc/resolv.conf pointing at the helper's DNS
 * forwarder). Called once after all profiles and options are merged.
 */
void net_prepare_config(struct sandbox_config *c);

/**
 * net_user_start() - outside: attach the user-mode networking helper to the
 * network namespace of @target (a host pid inside the sandbox's namespaces)
 * and return once the interface inside is configured. 0 or -errno (logged
 * with what to install when neither pasta nor slirp4netns is on PATH).
 */
int net_user_start(const struct sandbox_config *c, pid_t target, struct net_helper *ret);

/** net_user_stop() - stop and reap the helper; safe to call when none runs. */
void net_user_stop(struct net_helper *h);
