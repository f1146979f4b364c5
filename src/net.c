/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * net.c - the network modes (DESIGN.md §6).
 *
 * Owns: bringing `lo` up inside a new network namespace through rtnetlink,
 * the /etc/resolv.conf that `net user` adds to the mount plan, and the
 * user-mode networking helper (pasta, else slirp4netns) that the outer
 * process runs as its own child, attached to the sandbox's namespaces.
 *
 * Must not: run `ip` or any other tool to configure an interface, leave a
 * helper running after the sandbox (it dies with the outer process through
 * PR_SET_PDEATHSIG, and net_user_stop() kills and reaps it), or report a
 * sandbox as ready before its interface is configured.
 *
 * The host's loopback: both helpers can map a gateway address to the host's
 * 127.0.0.1, and pasta can also forward the sandbox's own loopback ports to
 * the host (-T/-U, on by default). Neither happens unless the config says
 * allow-host-loopback; then the host's 127.0.0.1 is reachable inside at
 * NET_USER_GATEWAY4 (10.0.2.2), with either helper.
 */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>

#include "helper.h"
#include "net.h"

/* How long a helper may take to configure the interface before we give up. */
#define NET_READY_TIMEOUT_MS 10000

/* ---- net none / net user: loopback ------------------------------------- */

int net_loopback_up(void)
{
	_cleanup_close_ int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return log_errno(-errno, "cannot bring up loopback: netlink socket");

	unsigned index = if_nametoindex("lo");
	if (index == 0)
		return log_errno(-errno, "cannot bring up loopback: no interface 'lo'");

	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
	} req = {
		.nh = {
			.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
			.nlmsg_type = RTM_NEWLINK,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
			.nlmsg_seq = 1,
		},
		.ifi = {
			.ifi_family = AF_UNSPEC,
			.ifi_index = (int)index,
			.ifi_flags = IFF_UP,
			.ifi_change = IFF_UP,
		},
	};
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	if (sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return log_errno(-errno, "cannot bring up loopback: netlink send");

	/* The ack is an NLMSG_ERROR carrying 0 or -errno for our request. */
	char buf[1024] __attribute__((aligned(NLMSG_ALIGNTO)));
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return log_errno(-errno, "cannot bring up loopback: netlink receive");
		size_t len = (size_t)n;
		for (struct nlmsghdr *nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, len);
		     nh = NLMSG_NEXT(nh, len)) {
			if (nh->nlmsg_seq != req.nh.nlmsg_seq || nh->nlmsg_type != NLMSG_ERROR)
				continue;
			if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr)))
				return log_errno(-EPROTO,
						 "cannot bring up loopback: short netlink ack");
			const struct nlmsgerr *e = NLMSG_DATA(nh);
			if (e->error < 0)
				return log_errno(e->error, "cannot bring up loopback");
			return 0;
		}
	}
}

/* ---- the mount plan ------------------------------------------------------ */

const char *net_resolv_conf(void)
{
	/*
	 * Only the IPv4 forwarder: both helpers answer there whether or not
	 * the host has IPv6, and a second, dead nameserver would make every
	 * lookup wait for its timeout.
	 */
	return "# net user: the sandbox's DNS forwarder, which asks the host's resolver\n"
	       "nameserver " NET_USER_DNS4 "\n";
}

void net_prepare_config(struct sandbox_config *c)
{
	if (c->net != NET_USER)
		return;
	struct mount_op *m = config_add_mount(c, MOUNT_FILE, NULL);
	m->dest = xstrdup("/etc/resolv.conf");
	m->src = xstrdup(net_resolv_conf());
	m->has_mode = true;
	m->mode = 0644;
}

/* ---- command lines (pure) ------------------------------------------------ */

static void push(char ***v, const char *s)
{
	strv_push(v, xstrdup(s));
}

char **net_pasta_argv(const struct sandbox_config *c, const char *exe, pid_t target,
		      const char *pid_path)
{
	char **v = NULL;
	push(&v, exe);
	/*
	 * --foreground: pasta stays our child, so it dies with us
	 * (PR_SET_PDEATHSIG) and we reap it. It writes the pid file only after
	 * --config-net has set the address and routes inside: the pid file is
	 * our readiness signal.
	 */
	push(&v, "--foreground");
	push(&v, "--quiet");
	push(&v, "--config-net");
	strv_push(&v, xasprintf("--pid=%s", pid_path));
	push(&v, "--mtu=" NET_USER_MTU);
	/* slirp4netns's addresses, so the resolv.conf and the docs hold for both helpers */
	push(&v, "--address=" NET_USER_ADDR4);
	push(&v, "--netmask=24");
	push(&v, "--gateway=" NET_USER_GATEWAY4);
	push(&v, "--address=" NET_USER_ADDR6);
	push(&v, "--gateway=" NET_USER_GATEWAY6);
	push(&v, "--dns-forward=" NET_USER_DNS4);
	/*
	 * pasta's defaults forward every port bound inside to all of the
	 * host's addresses (-t/-u auto) and the sandbox's loopback ports to
	 * the host's (-T/-U auto): both are holes in a sandbox. Only what
	 * --publish asks for is forwarded, and only from the host's loopback.
	 */
	push(&v, "--tcp-ns=none");
	push(&v, "--udp-ns=none");
	bool tcp = false, udp = false;
	for (size_t i = 0; i < c->n_publish; i++) {
		const struct publish *p = &c->publish[i];
		push(&v, p->udp ? "--udp-ports" : "--tcp-ports");
		strv_push(&v, xasprintf("127.0.0.1/%u:%u", p->host_port, p->sandbox_port));
		if (p->udp)
			udp = true;
		else
			tcp = true;
	}
	if (!tcp)
		push(&v, "--tcp-ports=none");
	if (!udp)
		push(&v, "--udp-ports=none");
	/* Without it, the gateway address leads to the host's loopback. */
	if (!c->allow_host_loopback)
		push(&v, "--no-map-gw");
	strv_push(&v, xasprintf("--netns=/proc/%d/ns/net", (int)target));
	strv_push(&v, xasprintf("--userns=/proc/%d/ns/user", (int)target));
	return v;
}

char **net_slirp_argv(const struct sandbox_config *c, const char *exe, pid_t target, int ready_fd,
		      int exit_fd, const char *api_socket)
{
	char **v = NULL;
	push(&v, exe);
	push(&v, "--configure");
	push(&v, "--mtu=" NET_USER_MTU);
	/* Without it, 10.0.2.2 leads to the host's loopback. */
	if (!c->allow_host_loopback)
		push(&v, "--disable-host-loopback");
	push(&v, "--enable-ipv6");
	/* slirp4netns confines itself: its own mount namespace and a seccomp filter */
	push(&v, "--enable-sandbox");
	push(&v, "--enable-seccomp");
	strv_push(&v, xasprintf("--ready-fd=%d", ready_fd));
	strv_push(&v, xasprintf("--exit-fd=%d", exit_fd));
	if (api_socket)
		strv_push(&v, xasprintf("--api-socket=%s", api_socket));
	strv_push(&v, xasprintf("%d", (int)target));
	push(&v, "tap0");
	return v;
}

char *net_slirp_hostfwd_request(const struct publish *p)
{
	return xasprintf("{\"execute\": \"add_hostfwd\", \"arguments\": {\"proto\": \"%s\", "
			 "\"host_addr\": \"127.0.0.1\", \"host_port\": %u, "
			 "\"guest_addr\": \"" NET_USER_ADDR4 "\", \"guest_port\": %u}}",
			 p->udp ? "udp" : "tcp", p->host_port, p->sandbox_port);
}

/* ---- starting the helper ------------------------------------------------- */

enum helper_kind {
	HELPER_PASTA,
	HELPER_SLIRP4NETNS,
};

/*
 * helper_log_summary() - what the helper said on its way out, as one line:
 * lines joined with "; ", without pasta's complaints about a missing syslog.
 */
static char *helper_log_summary(int log_fd)
{
	char buf[4096];
	ssize_t n = pread(log_fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return xstrdup("");
	buf[n] = '\0';

	size_t cap = (size_t)n + 1, len = 0;
	char *out = xmalloc(cap);
	out[0] = '\0';
	char *save = NULL;
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strstr(line, "to syslog") || strspn(line, " \t") == strlen(line))
			continue;
		int w = snprintf(out + len, cap - len, "%s%s", len ? "; " : "", line);
		if (w < 0 || (size_t)w >= cap - len)
			break;
		len += (size_t)w;
	}
	return out;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* helper_failed() - log why @name did not get ready and kill and reap it. */
static int helper_failed(const char *name, pid_t pid, int log_fd, const char *why)
{
	int status = 0;
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	_cleanup_free_ char *said = helper_log_summary(log_fd);
	const char *hint = "";
	if (strstr(said, "tun"))
		hint = " (is /dev/net/tun there and usable by you? it should be mode 0666)";
	log_error("net user: %s %s%s%s%s", name, why, *said ? ": " : "", said, hint);
	return -ENETUNREACH;
}

/*
 * wait_ready() - wait until @ready_fd has data (the helper configured the
 * interface), the helper exits, or the timeout passes. On failure the
 * helper is killed, reaped and the reason logged.
 */
static int wait_ready(const char *name, pid_t pid, int ready_fd, int log_fd)
{
	_cleanup_close_ int pidfd = -1;
#ifdef SYS_pidfd_open
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
#endif
	long deadline = now_ms() + NET_READY_TIMEOUT_MS;
	for (;;) {
		long left = deadline - now_ms();
		if (left <= 0)
			return helper_failed(name, pid, log_fd,
					     "did not configure the network in time");
		struct pollfd fds[2] = {
			{ .fd = ready_fd, .events = POLLIN },
			{ .fd = pidfd, .events = POLLIN },
		};
		/* Without pidfds (before Linux 5.3), look at the helper every 50ms. */
		int r = poll(fds, 2, pidfd >= 0 ? (int)left : (int)(left < 50 ? left : 50));
		if (r < 0 && errno != EINTR)
			return log_errno(-errno, "net user: waiting for %s", name);
		if (r > 0 && (fds[0].revents & (POLLIN | POLLHUP))) {
			char c;
			ssize_t n = read(ready_fd, &c, 1);
			if (n > 0)
				return 0;
			if (n == 0)
				return helper_failed(name, pid, log_fd,
						     "stopped before the network was ready");
		}
		int status;
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid) {
			_cleanup_free_ char *said = helper_log_summary(log_fd);
			_cleanup_free_ char *how =
				WIFEXITED(status)
					? xasprintf("exited with status %d", WEXITSTATUS(status))
					: xasprintf("was killed by signal %d", WTERMSIG(status));
			log_error("net user: %s %s before the network was ready%s%s", name, how,
				  *said ? ": " : "", said);
			return -ENETUNREACH;
		}
	}
}

/*
 * make_runtime_dir() - a private directory for slirp4netns's API socket:
 * $XDG_RUNTIME_DIR/sandbox/net-XXXXXX, never a shared /tmp.
 */
static int make_runtime_dir(char **ret)
{
	const char *base = getenv("XDG_RUNTIME_DIR");
	if (!base || base[0] != '/') {
		log_error("net user: --publish with slirp4netns needs $XDG_RUNTIME_DIR for its "
			  "API socket (set it, or install passt to use pasta)");
		return -ENOENT;
	}
	_cleanup_free_ char *top = xasprintf("%s/sandbox", base);
	if (mkdir(top, 0700) < 0 && errno != EEXIST)
		return log_errno(-errno, "net user: cannot create %s", top);
	char *dir = xasprintf("%s/net-XXXXXX", top);
	if (!mkdtemp(dir)) {
		int err = -errno;
		log_errno(err, "net user: cannot create a directory in %s", top);
		free(dir);
		return err;
	}
	*ret = dir;
	return 0;
}

static int slirp_publish(const char *api_socket, const struct publish *p)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(api_socket) >= sizeof(sa.sun_path))
		return log_errno(-ENAMETOOLONG, "net user: publish: socket path %s", api_socket);
	strcpy(sa.sun_path, api_socket);

	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return log_errno(-errno, "net user: publish: cannot reach slirp4netns at %s",
				 api_socket);
	_cleanup_free_ char *req = net_slirp_hostfwd_request(p);
	int r = write_all(fd, req, strlen(req));
	if (r < 0)
		return log_errno(r, "net user: publish: writing to slirp4netns");
	shutdown(fd, SHUT_WR);

	char reply[1024];
	ssize_t n = read_all(fd, reply, sizeof(reply) - 1);
	if (n < 0)
		return log_errno((int)n, "net user: publish: reading from slirp4netns");
	reply[n] = '\0';
	if (!strstr(reply, "\"return\"")) {
		log_error("net user: cannot publish %u:%u%s: slirp4netns said: %s", p->host_port,
			  p->sandbox_port, p->udp ? "/udp" : "", n ? reply : "nothing");
		return -EADDRINUSE;
	}
	return 0;
}

static int start_pasta(const struct sandbox_config *c, const char *exe, pid_t target,
		       struct helper_exec *child, struct net_helper *h)
{
	/*
	 * The readiness signal: pasta writes its pid to the --pid file once
	 * the interface inside is configured. That file is a pipe to us,
	 * given to pasta as its stdin and named /proc/self/fd/0: pasta closes
	 * other inherited fds, and once it has joined the sandbox's user
	 * namespace it may no longer open our /proc/PID/fd.
	 */
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return log_errno(-errno, "net user: pipe");
	_cleanup_close_ int ready_r = p[0], ready_w = p[1];
	_cleanup_strv_free_ char **argv = net_pasta_argv(c, exe, target, "/proc/self/fd/0");
	child->argv = argv;
	child->stdin_fd = ready_w;

	pid_t pid = helper_spawn(child);
	if (pid < 0)
		return pid;
	/* Only pasta holds the write end now: its exit reads as EOF. */
	close(STEAL_FD(ready_w));
	int r = wait_ready("pasta", pid, ready_r, child->log_fd);
	if (r < 0)
		return r;
	h->pid = pid;
	return 0;
}

static int start_slirp(const struct sandbox_config *c, const char *exe, pid_t target,
		       struct helper_exec *child, struct net_helper *h)
{
	int p[2], q[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return log_errno(-errno, "net user: pipe");
	_cleanup_close_ int ready_r = p[0], ready_w = p[1];
	/* --exit-fd: slirp4netns also quits when this pipe's write end, ours, is gone. */
	if (pipe2(q, O_CLOEXEC) < 0)
		return log_errno(-errno, "net user: pipe");
	_cleanup_close_ int exit_r = q[0], exit_w = q[1];

	_cleanup_free_ char *dir = NULL, *api = NULL;
	if (c->n_publish > 0) {
		int r = make_runtime_dir(&dir);
		if (r < 0)
			return r;
		api = xasprintf("%s/api.sock", dir);
	}
	_cleanup_strv_free_ char **argv = net_slirp_argv(c, exe, target, ready_w, exit_r, api);
	child->argv = argv;
	child->keep_fds[0] = ready_w < exit_r ? ready_w : exit_r;
	child->keep_fds[1] = ready_w < exit_r ? exit_r : ready_w;

	pid_t pid = helper_spawn(child);
	if (pid < 0) {
		if (dir)
			rmdir(dir);
		return pid;
	}
	/* Only the helper may hold the write end, so its death reads as EOF. */
	close(STEAL_FD(ready_w));
	close(STEAL_FD(exit_r));

	h->pid = pid;
	h->runtime_dir = STEAL_PTR(dir);
	int r = wait_ready("slirp4netns", pid, ready_r, child->log_fd);
	if (r < 0) {
		h->pid = 0; /* already reaped */
		net_user_stop(h);
		return r;
	}
	for (size_t i = 0; i < c->n_publish; i++) {
		r = slirp_publish(api, &c->publish[i]);
		if (r < 0) {
			net_user_stop(h);
			return r;
		}
	}
	/* Keep the exit pipe's write end for the life of the outer process. */
	h->exit_fd = STEAL_FD(exit_w);
	return 0;
}

int net_user_start(const struct sandbox_config *c, pid_t target, struct net_helper *ret)
{
	*ret = (struct net_helper){ .exit_fd = -1 };

	enum helper_kind kind = HELPER_PASTA;
	_cleanup_free_ char *exe = helper_find("pasta");
	if (!exe) {
		kind = HELPER_SLIRP4NETNS;
		exe = helper_find("slirp4netns");
	}
	if (!exe) {
		log_error("net user: neither pasta nor slirp4netns is on PATH "
			  "(install the package passt, or slirp4netns)");
		return -ENOENT;
	}

	_cleanup_close_ int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd < 0)
		return log_errno(-errno, "net user: /dev/null");
	_cleanup_close_ int log_fd = memfd_create("sandbox-net-helper", MFD_CLOEXEC);
	if (log_fd < 0)
		return log_errno(-errno, "net user: memfd_create");

	struct helper_exec child = {
		.exe = exe,
		.stdin_fd = null_fd,
		.log_fd = log_fd,
		.keep_fds = { -1, -1 },
	};
	if (kind == HELPER_PASTA) {
		ret->name = "pasta";
		return start_pasta(c, exe, target, &child, ret);
	}
	ret->name = "slirp4netns";
	return start_slirp(c, exe, target, &child, ret);
}

void net_user_stop(struct net_helper *h)
{
	if (h->pid > 0) {
		/* Nothing to flush: the sandbox is gone or going, so is its network. */
		kill(h->pid, SIGKILL);
		while (waitpid(h->pid, NULL, 0) < 0 && errno == EINTR)
			;
		h->pid = 0;
		if (h->exit_fd >= 0)
			close(h->exit_fd);
		h->exit_fd = -1;
	}
	if (h->runtime_dir) {
		_cleanup_free_ char *sock = xasprintf("%s/api.sock", h->runtime_dir);
		unlink(sock);
		rmdir(h->runtime_dir);
		free(h->runtime_dir);
		h->runtime_dir = NULL;
	}
}
