/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * net.h - the network modes: loopback up inside a new network namespace
 * (rtnetlink, no `ip`), and the user-mode networking helper (pasta, or
 * slirp4netns) started and stopped from outside.
 *
 * Inside `net user` both helpers present the same addresses (slirp4netns's
 * fixed layout, which pasta is told to copy), so one resolv.conf fits both:
 *
 *   10.0.2.100/24, fd00::100/64   the sandbox
 *   10.0.2.2,      fd00::2        the gateway; with allow-host-loopback the
 *                                 host's 127.0.0.1 appears at 10.0.2.2
 *   10.0.2.3                      the DNS forwarder (to the host's resolver)
 */
#pragma once

#include <sys/types.h>

#include "model.h"

#define NET_USER_ADDR4	  "10.0.2.100"
#define NET_USER_GATEWAY4 "10.0.2.2"
#define NET_USER_DNS4	  "10.0.2.3"
#define NET_USER_ADDR6	  "fd00::100"
#define NET_USER_GATEWAY6 "fd00::2"
#define NET_USER_MTU	  "65520"

/** net_loopback_up() - bring `lo` up in the current network namespace. 0 or -errno (logged). */
int net_loopback_up(void);

/* struct net_helper - a running pasta/slirp4netns process owned by the outer sandbox. */
struct net_helper {
	pid_t pid; /* 0: none */
	const char *name;
	char *runtime_dir; /* slirp4netns's API socket directory, removed on stop; NULL: none */
	int exit_fd;	   /* slirp4netns's --exit-fd write end; meaningful only while pid > 0 */
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

/*
 * The pure pieces below build the helpers' command lines; they are exposed
 * for the unit tests, which check what each config asks the helpers for.
 */

/**
 * net_pasta_argv() - pure: pasta's argv (argv[0] = @exe) attaching to @target,
 * writing its pid to @pid_path once the interface is configured.
 * Returns a new NULL-terminated array.
 */
char **net_pasta_argv(const struct sandbox_config *c, const char *exe, pid_t target,
		      const char *pid_path);

/**
 * net_slirp_argv() - pure: slirp4netns's argv (argv[0] = @exe) attaching to
 * @target, writing to @ready_fd when configured and exiting when @exit_fd
 * reaches EOF; @api_socket may be NULL (no --publish). Returns a new array.
 */
char **net_slirp_argv(const struct sandbox_config *c, const char *exe, pid_t target, int ready_fd,
		      int exit_fd, const char *api_socket);

/**
 * net_slirp_hostfwd_request() - pure: the slirp4netns API request that
 * forwards 127.0.0.1:@p->host_port on the host to the sandbox's
 * @p->sandbox_port. Returns a new string.
 */
char *net_slirp_hostfwd_request(const struct publish *p);

/**
 * net_resolv_conf() - pure: the content of /etc/resolv.conf inside net user.
 * Returns a static string.
 */
const char *net_resolv_conf(void);
