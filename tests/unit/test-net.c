/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-net.c - what each network config asks of the mount plan and of the
 * user-mode networking helpers. Pure code only: starting a helper is tested
 * by tests/net.bats.
 */
#include "config.h"

#include <string.h>

#include "net.h"
#include "tap.h"

/* index of @word in @v, or -1 */
static int find(char **v, const char *word)
{
	for (int i = 0; v && v[i]; i++)
		if (strcmp(v[i], word) == 0)
			return i;
	return -1;
}

static bool has(char **v, const char *word)
{
	return find(v, word) >= 0;
}

static void test_prepare_config(void)
{
	struct sandbox_config c;

	config_init(&c);
	net_prepare_config(&c);
	is_int(c.n_mounts, 0, "net none adds nothing to the mount plan");
	config_free(&c);

	config_init(&c);
	c.net = NET_HOST;
	net_prepare_config(&c);
	is_int(c.n_mounts, 0, "net host keeps the host's resolv.conf (it is the host's network)");
	config_free(&c);

	config_init(&c);
	c.net = NET_USER;
	struct mount_op *first = config_add_mount(&c, MOUNT_TMPFS, NULL);
	first->dest = strdup("/tmp");
	net_prepare_config(&c);
	is_int(c.n_mounts, 2, "net user adds one operation");
	is_int(c.mounts[0].kind, MOUNT_TMPFS, "after the operations already planned");
	is_int(c.mounts[1].kind, MOUNT_FILE, "a file operation");
	is_str(c.mounts[1].dest, "/etc/resolv.conf", "on /etc/resolv.conf");
	has_str(c.mounts[1].src, "\nnameserver 10.0.2.3\n", "pointing at the DNS forwarder");
	ok(c.mounts[1].has_mode && c.mounts[1].mode == 0644, "readable by everyone inside");
	is_str(c.mounts[1].src, net_resolv_conf(), "with the documented content");
	config_free(&c);
}

static void test_pasta_default(void)
{
	struct sandbox_config c;
	config_init(&c);
	c.net = NET_USER;
	char **v = net_pasta_argv(&c, "/usr/bin/pasta", 42, "/proc/7/fd/9");

	is_str(v[0], "/usr/bin/pasta", "pasta: argv[0] is the program found");
	ok(has(v, "--foreground"), "pasta stays our child, so it can die with us");
	ok(has(v, "--config-net"), "pasta configures the interface inside");
	ok(has(v, "--pid=/proc/7/fd/9"), "pasta reports readiness through its pid file");
	ok(has(v, "--address=10.0.2.100") && has(v, "--gateway=10.0.2.2"),
	   "pasta uses the documented IPv4 layout");
	ok(has(v, "--address=fd00::100") && has(v, "--gateway=fd00::2"),
	   "pasta uses the documented IPv6 layout");
	ok(has(v, "--dns-forward=10.0.2.3"), "pasta forwards DNS at the resolv.conf address");
	ok(has(v, "--no-map-gw"), "the host's loopback is not mapped to the gateway by default");
	ok(has(v, "--tcp-ns=none") && has(v, "--udp-ns=none"),
	   "the sandbox's loopback ports never lead to the host's");
	ok(has(v, "--tcp-ports=none") && has(v, "--udp-ports=none"),
	   "nothing inside is published unless asked for");
	ok(has(v, "--netns=/proc/42/ns/net") && has(v, "--userns=/proc/42/ns/user"),
	   "pasta joins the target's network and user namespaces");
	strv_free(v);
	config_free(&c);
}

static void test_pasta_loopback_and_publish(void)
{
	struct sandbox_config c;
	config_init(&c);
	c.net = NET_USER;
	c.allow_host_loopback = true;
	c.publish = calloc(2, sizeof(*c.publish));
	c.publish[0] = (struct publish){ .host_port = 8080, .sandbox_port = 80 };
	c.publish[1] = (struct publish){ .host_port = 5353, .sandbox_port = 53, .udp = true };
	c.n_publish = 2;
	char **v = net_pasta_argv(&c, "pasta", 42, "/p");

	ok(!has(v, "--no-map-gw"), "allow-host-loopback maps the host's loopback to the gateway");
	ok(has(v, "--tcp-ns=none") && has(v, "--udp-ns=none"),
	   "allow-host-loopback still does not forward the sandbox's own loopback");
	int t = find(v, "--tcp-ports");
	ok(t >= 0 && v[t + 1] && strcmp(v[t + 1], "127.0.0.1/8080:80") == 0,
	   "publish 8080:80 listens on the host's 127.0.0.1 only");
	int u = find(v, "--udp-ports");
	ok(u >= 0 && v[u + 1] && strcmp(v[u + 1], "127.0.0.1/5353:53") == 0,
	   "publish 5353:53/udp is a UDP forward");
	ok(!has(v, "--tcp-ports=none") && !has(v, "--udp-ports=none"),
	   "publishing does not also say none");
	strv_free(v);
	config_free(&c);
}

static void test_slirp(void)
{
	struct sandbox_config c;
	config_init(&c);
	c.net = NET_USER;
	char **v = net_slirp_argv(&c, "/usr/bin/slirp4netns", 42, 5, 6, NULL);
	size_t n = strv_length(v);

	is_str(v[0], "/usr/bin/slirp4netns", "slirp4netns: argv[0] is the program found");
	ok(has(v, "--configure"), "slirp4netns configures the interface inside");
	ok(has(v, "--disable-host-loopback"), "slirp4netns hides the host's loopback by default");
	ok(has(v, "--ready-fd=5") && has(v, "--exit-fd=6"),
	   "slirp4netns reports readiness and quits with our pipe");
	ok(!has(v, "--api-socket"), "no API socket without --publish");
	ok(n >= 2 && strcmp(v[n - 2], "42") == 0 && strcmp(v[n - 1], "tap0") == 0,
	   "slirp4netns attaches to the target pid");
	strv_free(v);

	c.allow_host_loopback = true;
	v = net_slirp_argv(&c, "slirp4netns", 42, 5, 6, "/run/x/api.sock");
	ok(!has(v, "--disable-host-loopback"), "allow-host-loopback keeps 10.0.2.2 -> host");
	ok(has(v, "--api-socket=/run/x/api.sock"), "the API socket when publishing");
	strv_free(v);
	config_free(&c);

	struct publish p = { .host_port = 8080, .sandbox_port = 80 };
	char *req = net_slirp_hostfwd_request(&p);
	is_str(req,
	       "{\"execute\": \"add_hostfwd\", \"arguments\": {\"proto\": \"tcp\", "
	       "\"host_addr\": \"127.0.0.1\", \"host_port\": 8080, "
	       "\"guest_addr\": \"10.0.2.100\", \"guest_port\": 80}}",
	       "slirp4netns publish request forwards the host's loopback port");
	free(req);
	p.udp = true;
	req = net_slirp_hostfwd_request(&p);
	has_str(req, "\"proto\": \"udp\"", "a /udp publish asks for udp");
	free(req);
}

int main(void)
{
	test_prepare_config();
	test_pasta_default();
	test_pasta_loopback_and_publish();
	test_slirp();
	return tap_done();
}
