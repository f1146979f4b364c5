/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dbus.c - the filtered session bus (`dbus`, `dbus-talk`, `dbus-own`).
 *
 * Owns: the mount-plan and environment edits that give the sandbox a bus at
 * ${XDG_RUNTIME_DIR}/bus, and the xdg-dbus-proxy process that serves it. The
 * outer process runs the proxy as its own child on the caller's real bus,
 * with --filter: the sandbox may talk only to the names of dbus-talk, own
 * only those of dbus-own, and always to the bus itself.
 *
 * Must not: bind the real bus socket (the app would see everything), put the
 * proxy's socket in a shared directory (it lives in a 0700 directory under
 * $XDG_RUNTIME_DIR/sandbox-bus/, beside the registry of running sandboxes in
 * $XDG_RUNTIME_DIR/sandbox/, whose binds are made read-only inside and whose
 * entries `sandbox list` reads), or leave the proxy running after the sandbox.
 * The proxy dies with the outer process in two ways: PR_SET_PDEATHSIG, and
 * its --fd pipe, whose read end only the sandbox's processes hold, so that
 * even after a SIGKILL of `sandbox` it sees the pipe close and exits.
 *
 * The real bus is also out of reach through its abstract socket form
 * (unix:abstract=...), which lives in the network namespace: a profile that
 * uses this keeps `net none` or `net user`.
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "dbus.h"
#include "helper.h"

/* How long the proxy may take to listen before we give up. */
#define DBUS_READY_TIMEOUT_MS 10000

/* ---- pure ------------------------------------------------------------------ */

void dbus_env_get(struct dbus_env *ret)
{
	const char *rt = getenv("XDG_RUNTIME_DIR"), *bus = getenv("DBUS_SESSION_BUS_ADDRESS");
	*ret = (struct dbus_env){
		.runtime_dir = rt && rt[0] == '/' ? rt : NULL,
		.bus_address = bus && *bus ? bus : NULL,
		.pid = getpid(),
	};
}

char *dbus_proxy_dir(const struct dbus_env *e)
{
	return xasprintf("%s/sandbox-bus/%d", e->runtime_dir, (int)e->pid);
}

int dbus_prepare_config(struct sandbox_config *c, const struct dbus_env *e)
{
	if (!c->dbus)
		return 0;
	if (!e->bus_address) {
		log_notice("dbus: DBUS_SESSION_BUS_ADDRESS is not set, so there is no session bus "
			   "to filter; the command runs without one");
		c->dbus = false;
		return 0;
	}
	if (!e->runtime_dir) {
		log_error("dbus: the filtered bus needs XDG_RUNTIME_DIR for its socket (a login "
			  "session sets it; or turn the bus off with --dbus=no)");
		return -EINVAL;
	}
	_cleanup_free_ char *dir = dbus_proxy_dir(e);
	struct mount_op *m = config_add_mount(c, MOUNT_BIND, NULL);
	m->src = xasprintf("%s/bus", dir);
	m->dest = xasprintf("%s/bus", e->runtime_dir);
	_cleanup_free_ char *addr = xasprintf("unix:path=%s/bus", e->runtime_dir);
	config_add_env(c, ENV_SET, "DBUS_SESSION_BUS_ADDRESS", addr);
	return 0;
}

char **dbus_proxy_argv(const struct sandbox_config *c, const struct dbus_env *e, const char *exe,
		       const char *socket_path, int ready_fd)
{
	char **argv = NULL;
	strv_push(&argv, xstrdup(exe));
	strv_push(&argv, xasprintf("--fd=%d", ready_fd));
	strv_push(&argv, xstrdup(e->bus_address));
	strv_push(&argv, xstrdup(socket_path));
	/* Options after ADDRESS PATH apply to that proxy. */
	strv_push(&argv, xstrdup("--filter"));
	for (char **n = c->dbus_talk; n && *n; n++)
		strv_push(&argv, xasprintf("--talk=%s", *n));
	for (char **n = c->dbus_own; n && *n; n++)
		strv_push(&argv, xasprintf("--own=%s", *n));
	return argv;
}

/* ---- outside: the proxy process --------------------------------------------- */

/* What the proxy said before it failed, on one line. */
static char *proxy_log(int log_fd)
{
	char buf[2048];
	ssize_t n = pread(log_fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return xstrdup("");
	buf[n] = '\0';
	for (char *p = buf; *p; p++)
		if (*p == '\n')
			*p = p[1] ? ' ' : '\0';
	return xstrdup(buf);
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Wait for the proxy's readiness byte; on failure it is reaped and the reason logged. */
static int wait_ready(pid_t pid, int ready_fd, int log_fd)
{
	long deadline = now_ms() + DBUS_READY_TIMEOUT_MS;
	const char *why = NULL;
	for (;;) {
		long left = deadline - now_ms();
		if (left <= 0) {
			why = "did not start listening in time";
			break;
		}
		struct pollfd p = { .fd = ready_fd, .events = POLLIN };
		int r = poll(&p, 1, (int)(left < 100 ? left : 100));
		if (r < 0 && errno != EINTR)
			return log_errno(-errno, "dbus: waiting for xdg-dbus-proxy");
		if (r > 0) {
			char b;
			ssize_t n = read(ready_fd, &b, 1);
			if (n == 1)
				return 0;
			if (n == 0) {
				why = "stopped before it was ready";
				break;
			}
		}
		int status;
		if (waitpid(pid, &status, WNOHANG) == pid) {
			pid = 0;
			why = "exited before it was ready";
			break;
		}
	}
	if (pid > 0) {
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	_cleanup_free_ char *said = proxy_log(log_fd);
	log_error("dbus: xdg-dbus-proxy %s%s%s", why, *said ? ": " : "", said);
	return -ECONNREFUSED;
}

static int proxy_spawn(const struct sandbox_config *c, const struct dbus_env *e, const char *exe,
		       struct dbus_proxy *p)
{
	_cleanup_close_ int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd < 0)
		return log_errno(-errno, "dbus: /dev/null");
	_cleanup_close_ int log_fd = memfd_create("sandbox-dbus-proxy", MFD_CLOEXEC);
	if (log_fd < 0)
		return log_errno(-errno, "dbus: memfd_create");
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return log_errno(-errno, "dbus: pipe");
	_cleanup_close_ int ready_r = fds[0], ready_w = fds[1];

	_cleanup_free_ char *sock = xasprintf("%s/bus", p->dir);
	_cleanup_strv_free_ char **argv = dbus_proxy_argv(c, e, exe, sock, ready_w);
	struct helper_exec child = {
		.exe = exe,
		.argv = argv,
		.stdin_fd = null_fd,
		.log_fd = log_fd,
		.keep_fds = { ready_w, -1 },
	};
	pid_t pid = helper_spawn(&child);
	if (pid < 0)
		return pid;
	/* Only the proxy holds the write end: its death reads as EOF. */
	close(STEAL_FD(ready_w));
	int r = wait_ready(pid, ready_r, log_fd);
	if (r < 0)
		return r;
	p->pid = pid;
	/* Kept open for the life of the sandbox: the proxy exits when it closes. */
	p->alive_fd = STEAL_FD(ready_r);
	return 0;
}

/*
 * Remove what a sandbox killed with SIGKILL left in @top: the directory and
 * socket of a proxy whose sandbox no longer runs. A live pid is left alone,
 * whoever it now is.
 */
static void sweep_stale(const char *top)
{
	DIR *d = opendir(top);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		unsigned long pid;
		if (parse_uint(de->d_name, INT_MAX, &pid) < 0 || pid == 0)
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		_cleanup_free_ char *sock = xasprintf("%s/%s/bus", top, de->d_name);
		_cleanup_free_ char *dir = xasprintf("%s/%s", top, de->d_name);
		unlink(sock);
		rmdir(dir);
	}
	closedir(d);
}

int dbus_proxy_start(const struct sandbox_config *c, struct dbus_proxy *ret)
{
	*ret = (struct dbus_proxy){ .alive_fd = -1 };
	if (!c->dbus)
		return 0;
	struct dbus_env e;
	dbus_env_get(&e);
	if (!e.bus_address || !e.runtime_dir) {
		/* dbus_prepare_config() turns the bus off or refuses first; not reached. */
		log_error("dbus: no session bus or no XDG_RUNTIME_DIR for the filtered bus");
		return -EINVAL;
	}

	_cleanup_free_ char *exe = helper_find("xdg-dbus-proxy");
	if (!exe) {
		log_error(
			"dbus: xdg-dbus-proxy is not on PATH (install the package xdg-dbus-proxy, "
			"or run without a bus: --dbus=no)");
		return -ENOENT;
	}
	_cleanup_free_ char *top = xasprintf("%s/sandbox-bus", e.runtime_dir);
	int r = helper_private_dir(top);
	if (r < 0)
		return r;
	sweep_stale(top);
	ret->dir = dbus_proxy_dir(&e);
	r = helper_private_dir(ret->dir);
	if (r < 0) {
		free(ret->dir);
		ret->dir = NULL;
		return r;
	}
	/* A socket left by a SIGKILLed sandbox of the same pid. */
	_cleanup_free_ char *sock = xasprintf("%s/bus", ret->dir);
	unlink(sock);
	r = proxy_spawn(c, &e, exe, ret);
	if (r < 0)
		dbus_proxy_stop(ret);
	return r;
}

void dbus_proxy_stop(struct dbus_proxy *p)
{
	if (p->pid > 0) {
		kill(p->pid, SIGKILL);
		while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR)
			;
		p->pid = 0;
	}
	if (p->alive_fd >= 0)
		close(p->alive_fd);
	p->alive_fd = -1;
	if (p->dir) {
		_cleanup_free_ char *sock = xasprintf("%s/bus", p->dir);
		unlink(sock);
		rmdir(p->dir);
		free(p->dir);
		p->dir = NULL;
	}
}
