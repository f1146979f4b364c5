/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dbus.h - a filtered D-Bus session bus for the sandbox: xdg-dbus-proxy,
 * started and stopped by the outer process, listening on a socket in a
 * private directory that the mount plan binds in at ${XDG_RUNTIME_DIR}/bus.
 */
#pragma once

#include <sys/types.h>

#include "model.h"

/*
 * struct dbus_env - what the bus setup takes from the caller's environment,
 * read once so the pure code below is given it instead of calling getenv().
 */
struct dbus_env {
	const char *runtime_dir; /* $XDG_RUNTIME_DIR; NULL: unset */
	const char *bus_address; /* $DBUS_SESSION_BUS_ADDRESS; NULL: unset */
	pid_t pid;		 /* the outer sandbox process, names the proxy's directory */
};

/* struct dbus_proxy - a running xdg-dbus-proxy owned by the outer sandbox. */
struct dbus_proxy {
	pid_t pid;    /* 0: none */
	int alive_fd; /* read end of the proxy's --fd pipe: the proxy exits when it closes */
	char *dir;    /* the private directory holding the socket; NULL: none */
};

/** dbus_env_get() - fill @ret from the environment and getpid(). */
void dbus_env_get(struct dbus_env *ret);

/**
 * dbus_proxy_dir() - pure: the private directory of the proxy's socket,
 * $XDG_RUNTIME_DIR/sandbox-bus/PID. Returns a new string.
 */
char *dbus_proxy_dir(const struct dbus_env *e);

/**
 * dbus_prepare_config() - pure: when @c asks for a bus, bind the proxy's
 * socket at ${XDG_RUNTIME_DIR}/bus inside and point DBUS_SESSION_BUS_ADDRESS
 * at it. Without a session bus outside, says so once and turns the bus off.
 * Returns 0, or -EINVAL (logged) when XDG_RUNTIME_DIR is unset.
 */
int dbus_prepare_config(struct sandbox_config *c, const struct dbus_env *e);

/**
 * dbus_proxy_argv() - pure: xdg-dbus-proxy's argv (argv[0] = @exe) proxying
 * @e->bus_address at @socket_path with the config's talk and own rules,
 * signalling readiness on @ready_fd. Returns a new NULL-terminated array.
 */
char **dbus_proxy_argv(const struct sandbox_config *c, const struct dbus_env *e, const char *exe,
		       const char *socket_path, int ready_fd);

/**
 * dbus_proxy_start() - outside: start xdg-dbus-proxy for @c and return once
 * its socket accepts connections; nothing when @c asks for no bus. 0 or
 * -errno (logged; naming the package to install when it is not on PATH).
 */
int dbus_proxy_start(const struct sandbox_config *c, struct dbus_proxy *ret);

/** dbus_proxy_stop() - stop and reap the proxy, remove its socket and directory; safe when none. */
void dbus_proxy_stop(struct dbus_proxy *p);
