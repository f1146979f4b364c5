/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-dbus.c - the filtered bus as the pure code plans it: the dbus
 * directives, what a config adds to the mount plan and environment, and
 * xdg-dbus-proxy's command line. Starting the proxy is tested by
 * tests/desktop.bats.
 */
#include "config.h"

#include <string.h>

#include "dbus.h"
#include "directive.h"
#include "tap.h"

static int find(char **v, const char *word)
{
	for (int i = 0; v && v[i]; i++)
		if (strcmp(v[i], word) == 0)
			return i;
	return -1;
}

/* Apply one directive with one word (or none when @word is NULL), messages muted. */
static int apply(struct sandbox_config *c, const char *name, const char *word)
{
	char *words[] = { (char *)word, NULL };
	struct source_loc locs[1] = { { 0 } };
	struct directive_args a = {
		.name = name,
		.words = words,
		.locs = locs,
		.n = word ? 1 : 0,
	};
	FILE *null = fopen("/dev/null", "w");
	log_set_stream(null);
	int r = directive_apply(c, &a);
	log_set_stream(stderr);
	fclose(null);
	return r;
}

static void test_directives(void)
{
	struct sandbox_config c;
	config_init(&c);
	ok(!c.dbus, "no bus by default");
	is_int(apply(&c, "dbus-talk", "org.freedesktop.Notifications"), 0, "a well-known name");
	ok(c.dbus, "naming a name to talk to turns the bus on");
	is_int(apply(&c, "dbus-own", "org.example.App"), 0, "a name to own");
	is_int(apply(&c, "dbus-talk", "org.freedesktop.portal.*"), 0, "a prefix with .*");
	is_str(c.dbus_talk[1], "org.freedesktop.portal.*", "names append in order");
	is_str(c.dbus_own[0], "org.example.App", "own names are kept apart");
	is_int(apply(&c, "dbus", "no"), 0, "dbus no");
	ok(!c.dbus, "the last word wins: dbus no after dbus-talk turns the bus off");
	is_int(apply(&c, "dbus", NULL), 0, "dbus alone");
	ok(c.dbus, "dbus alone means yes");

	static const char *const bad[] = {
		"org",
		"1org.example",
		"org..example",
		"org.example.",
		".org.example",
		"org.*.example",
		"org.example;rm",
		"--talk=org.example",
		"org.ex ample",
		"org.example=x",
		"",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		is_int(apply(&c, "dbus-talk", bad[i]), -EINVAL, "bad bus name '%s' is refused",
		       bad[i]);
	is_int(strv_length(c.dbus_talk), 2, "refused names are not added");
	config_free(&c);
}

static void test_prepare_config(void)
{
	struct dbus_env e = {
		.runtime_dir = "/run/user/1000",
		.bus_address = "unix:path=/run/user/1000/bus,guid=abc",
		.pid = 42,
	};
	struct sandbox_config c;

	config_init(&c);
	is_int(dbus_prepare_config(&c, &e), 0, "no bus asked for");
	is_int(c.n_mounts + c.n_env, 0, "no bus: nothing added");
	config_free(&c);

	config_init(&c);
	c.dbus = true;
	is_int(dbus_prepare_config(&c, &e), 0, "a bus");
	is_int(c.n_mounts, 1, "one bind");
	is_int(c.mounts[0].kind, MOUNT_BIND, "a bind, not a -try: a missing proxy is an error");
	is_str(c.mounts[0].src, "/run/user/1000/sandbox-bus/42/bus",
	       "the proxy's socket, in its private directory");
	is_str(c.mounts[0].dest, "/run/user/1000/bus", "at ${XDG_RUNTIME_DIR}/bus inside");
	is_int(c.n_env, 1, "one environment edit");
	is_str(c.env[0].name, "DBUS_SESSION_BUS_ADDRESS", "the bus address");
	is_str(c.env[0].value, "unix:path=/run/user/1000/bus", "points at the proxy, not the bus");
	config_free(&c);

	struct dbus_env no_bus = e;
	no_bus.bus_address = NULL;
	config_init(&c);
	c.dbus = true;
	char *msg = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&msg, &len);
	log_set_stream(f);
	is_int(dbus_prepare_config(&c, &no_bus), 0, "no session bus is not an error");
	log_set_stream(stderr);
	fclose(f);
	has_str(msg, "no session bus", "but it is said");
	ok(!c.dbus && c.n_mounts == 0, "and the command runs without a bus");
	free(msg);
	config_free(&c);

	struct dbus_env no_runtime = e;
	no_runtime.runtime_dir = NULL;
	config_init(&c);
	c.dbus = true;
	f = fopen("/dev/null", "w");
	log_set_stream(f);
	is_int(dbus_prepare_config(&c, &no_runtime), -EINVAL, "no XDG_RUNTIME_DIR: an error");
	log_set_stream(stderr);
	fclose(f);
	config_free(&c);
}

static void test_argv(void)
{
	struct dbus_env e = { .runtime_dir = "/run/user/1000", .bus_address = "unix:path=/b" };
	struct sandbox_config c;
	config_init(&c);
	c.dbus = true;
	strv_push(&c.dbus_talk, xstrdup("org.example.A"));
	strv_push(&c.dbus_own, xstrdup("org.example.B"));
	char **v = dbus_proxy_argv(&c, &e, "/usr/bin/xdg-dbus-proxy", "/d/bus", 7);
	is_str(v[0], "/usr/bin/xdg-dbus-proxy", "argv[0] is the proxy");
	is_str(v[1], "--fd=7", "readiness and lifetime on the given fd");
	is_str(v[2], "unix:path=/b", "proxies the real bus");
	is_str(v[3], "/d/bus", "listens on the private socket");
	int filter = find(v, "--filter");
	ok(filter > 3, "--filter after ADDRESS PATH, so it applies to that proxy");
	ok(find(v, "--talk=org.example.A") > filter, "talk rule");
	ok(find(v, "--own=org.example.B") > filter, "own rule");
	ok(find(v, "--log") < 0, "no logging of the app's messages");
	strv_free(v);

	strv_free(c.dbus_talk);
	strv_free(c.dbus_own);
	c.dbus_talk = c.dbus_own = NULL;
	v = dbus_proxy_argv(&c, &e, "p", "/d/bus", 3);
	is_int(strv_length(v), 5, "no names: only the bus itself is reachable, still filtered");
	ok(find(v, "--filter") == 4, "--filter is never left out");
	strv_free(v);
	config_free(&c);
}

int main(void)
{
	test_directives();
	test_prepare_config();
	test_argv();
	return tap_done();
}
