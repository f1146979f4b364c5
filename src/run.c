/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * run.c - the process model (DESIGN.md §2), as three tables of steps.
 *
 *   outer `sandbox`  clone(CLONE_NEWUSER) -> writes the id maps, starts the
 *                    network helper, forwards signals, waits
 *   child            in the new user namespace: becomes root inside,
 *                    unshares the other namespaces, forks PID 1, waits
 *   PID 1            builds the root, forks the command, reaps orphans
 *   payload          the command's process: drops everything, execs
 *
 * Each table is read top to bottom; each row says why it sits where it does.
 * A step that fails has logged why; the process then exits 125 (setup
 * failure), which every process above passes on unchanged.
 */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "caps.h"
#include "dbus.h"
#include "idmap.h"
#include "init.h"
#include "mount.h"
#include "net.h"
#include "registry.h"
#include "run.h"

#define EXIT_SETUP	 125
#define EXIT_CANNOT_EXEC 126
#define EXIT_NOT_FOUND	 127

/* Messages on the socket between the outer process and the child. */
enum {
	MSG_MAPPED = 'M',    /* outer -> child: uid_map and gid_map are written */
	MSG_NET_WAIT = 'N',  /* child -> outer: the network namespace exists */
	MSG_NET_READY = 'G', /* outer -> child: the network helper is attached */
	MSG_PID1 = 'P',	     /* child -> outer: PID 1 runs; its host pid follows */
};

struct run_state {
	const struct run_request *req;
	const struct sandbox_config *c;
	struct idmap_plan plan;
	pid_t outer_pid;
	int sock;	   /* child's end of the socket to the outer process */
	int alive_pipe[2]; /* PID 1 sees EOF on [0] when the child dies */
};

struct step {
	const char *name;
	int (*run)(struct run_state *s);
};

static int run_steps(struct run_state *s, const struct step *steps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int r = steps[i].run(s);
		if (r < 0)
			return r;
	}
	return 0;
}

static int send_byte(int fd, char b)
{
	return send(fd, &b, 1, MSG_NOSIGNAL) == 1 ? 0 : -EPIPE;
}

/* Receive one byte; -EPIPE when the other side is gone. */
static int recv_byte(int fd, char *ret)
{
	for (;;) {
		ssize_t n = recv(fd, ret, 1, 0);
		if (n == 1)
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		return -EPIPE;
	}
}

/* ---- the payload: the command's own process ------------------------------ */

static int payload_session(struct run_state *s)
{
	/* A new session has no controlling terminal, so the command cannot use
	 * TIOCSTI to push keystrokes into the caller's shell (CVE-2017-5226). */
	if (s->c->new_session && setsid() < 0)
		return log_errno(-errno, "setsid");
	return 0;
}

static int payload_rlimits(struct run_state *s)
{
	for (size_t i = 0; i < s->c->n_rlimits; i++) {
		const struct rlimit_op *r = &s->c->rlimits[i];
		struct rlimit rl = { .rlim_cur = r->soft, .rlim_max = r->hard };
		if (setrlimit(r->resource, &rl) < 0)
			return log_errno(-errno, "cannot set resource limit %d", r->resource);
	}
	return 0;
}

static int payload_chdir(struct run_state *s)
{
	if (s->c->chdir) {
		if (chdir(s->c->chdir) < 0)
			return log_errno(-errno, "chdir %s: cannot enter it inside the sandbox",
					 s->c->chdir);
		return 0;
	}
	/* No chdir asked for: stay where the caller is when that exists inside. */
	char cwd[PATH_MAX];
	const char *pwd = getenv("PWD");
	if (pwd && *pwd == '/' && chdir(pwd) == 0)
		return 0;
	if (getcwd(cwd, sizeof(cwd)) && chdir(cwd) == 0)
		return 0;
	return chdir("/") < 0 ? log_errno(-errno, "chdir /") : 0;
}

static bool env_listed(const struct sandbox_config *c, const char *entry, enum env_kind kind)
{
	size_t len = strcspn(entry, "=");
	for (size_t i = 0; i < c->n_env; i++)
		if (c->env[i].kind == kind && strlen(c->env[i].name) == len &&
		    strncmp(c->env[i].name, entry, len) == 0)
			return true;
	return false;
}

int run_environment(const struct sandbox_config *c)
{
	extern char **environ;
	if (c->clearenv) {
		_cleanup_strv_free_ char **keep = NULL;
		for (char **e = environ; e && *e; e++)
			if (env_listed(c, *e, ENV_KEEP))
				strv_push(&keep, xstrdup(*e));
		if (clearenv() != 0)
			return log_errno(-ENOMEM, "clearenv");
		for (char **e = keep; e && *e; e++)
			if (putenv(xstrdup(*e)) != 0)
				return log_errno(-errno, "putenv");
	}
	for (size_t i = 0; i < c->n_env; i++) {
		const struct env_op *e = &c->env[i];
		if (e->kind == ENV_SET && setenv(e->name, e->value, 1) < 0)
			return log_errno(-errno, "setenv %s", e->name);
		if (e->kind == ENV_UNSET && unsetenv(e->name) < 0)
			return log_errno(-errno, "unsetenv %s", e->name);
	}
	if (!getenv("PATH"))
		setenv("PATH", "/usr/local/bin:/usr/bin:/bin", 1);
	return 0;
}

static int payload_environment(struct run_state *s)
{
	return run_environment(s->c);
}

static int payload_fds(struct run_state *s)
{
	/* An inherited descriptor of a host directory would be a way out of
	 * the new root (openat on it): nothing beyond stdio crosses exec. */
	if (close_range(3, UINT_MAX, CLOSE_RANGE_CLOEXEC) < 0)
		return log_errno(-errno, "cannot close inherited file descriptors");
	return 0;
}

static int payload_signals(struct run_state *s)
{
	/* The supervisors blocked these; the command starts with a clean slate. */
	sigset_t none;
	sigemptyset(&none);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	return sigprocmask(SIG_SETMASK, &none, NULL) < 0 ? log_errno(-errno, "sigprocmask") : 0;
}

static int payload_drop_privileges(struct run_state *s)
{
	struct caps_target t = {
		.uid = s->plan.payload_uid,
		.gid = s->plan.payload_gid,
		.keep = s->c->cap_keep,
		.can_setgroups = s->plan.use_helpers,
	};
	return caps_become(&t);
}

static int payload_no_new_privs(struct run_state *s)
{
	/* Needed for an unprivileged seccomp filter, and makes setuid binaries
	 * inside the sandbox run without their privilege. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return log_errno(-errno, "cannot set no_new_privs");
	return 0;
}

static int payload_seccomp(struct run_state *s)
{
	return filter_load(s->req->filter);
}

/*
 * The payload's steps, in order. Seccomp is last because the filter may
 * deny the very calls the steps above make (setsid, setresuid, prctl).
 */
static const struct step payload_steps[] = {
	/* first: detach from the caller's terminal before anything else runs */
	{ "new session", payload_session },
	/* limits apply to everything that follows, including the exec */
	{ "resource limits", payload_rlimits },
	/* paths resolve inside the new root, which PID 1 entered already */
	{ "working directory", payload_chdir },
	{ "environment", payload_environment },
	{ "file descriptors", payload_fds },
	{ "signals", payload_signals },
	/* needs CAP_SETUID/CAP_SETPCAP, so before they are gone */
	{ "user and capabilities", payload_drop_privileges },
	{ "no_new_privs", payload_no_new_privs },
	/* last: a filter is loaded only under no_new_privs, and may forbid
	 * everything above */
	{ "seccomp", payload_seccomp },
};

static _noreturn_ void payload_main(struct run_state *s)
{
	if (run_steps(s, payload_steps, ARRAY_SIZE(payload_steps)) < 0)
		_exit(EXIT_SETUP);
	char *const *argv = s->c->argv;
	execvp(argv[0], argv);
	int e = errno;
	if (e == ENOENT)
		log_error("cannot run '%s': command not found inside the sandbox", argv[0]);
	else
		log_errno(-e, "cannot run '%s'", argv[0]);
	_exit(e == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC);
}

/* ---- PID 1 ---------------------------------------------------------------- */

static int pid1_die_with_parent(struct run_state *s)
{
	/* The death signal is cleared by fork; the child above us holds the
	 * write end of alive_pipe, so EOF here means it died before we got
	 * to arm it. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		return log_errno(-errno, "PR_SET_PDEATHSIG");
	close(s->alive_pipe[1]);
	struct pollfd p = { .fd = s->alive_pipe[0], .events = POLLIN };
	if (poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLIN)))
		return -EPIPE;
	return 0;
}

static int pid1_root(struct run_state *s)
{
	struct mount_request m = { .config = s->c, .protect = s->req->protect };
	return mount_build_root(&m);
}

/* PID 1's steps. It runs in the new pid namespace, so it can mount a procfs of it. */
static const struct step pid1_steps[] = {
	{ "die with the sandbox", pid1_die_with_parent },
	/* before the command exists, so it never sees the host's root */
	{ "new root", pid1_root },
};

static _noreturn_ void pid1_main(struct run_state *s)
{
	/* The socket to the outer process belongs to the child above us; PID 1
	 * lives inside the sandbox and keeps nothing that leads outside. */
	close(s->sock);
	if (run_steps(s, pid1_steps, ARRAY_SIZE(pid1_steps)) < 0)
		_exit(EXIT_SETUP);
	prctl(PR_SET_NAME, "sandbox-init", 0, 0, 0);
	pid_t payload = fork();
	if (payload < 0) {
		log_errno(-errno, "cannot start the command: fork");
		_exit(EXIT_SETUP);
	}
	if (payload == 0)
		payload_main(s);
	_exit(init_supervise(payload, payload, true));
}

/* ---- the child in the new user namespace -------------------------------- */

static int child_wait_maps(struct run_state *s)
{
	/* Until the maps are written we are the overflow id with no use for
	 * our capabilities; EOF means the outer process gave up (and said why). */
	char b;
	if (recv_byte(s->sock, &b) < 0 || b != MSG_MAPPED)
		return -EPIPE;
	return 0;
}

static int child_ids(struct run_state *s)
{
	if (setresgid(s->plan.setup_gid, s->plan.setup_gid, s->plan.setup_gid) < 0)
		return log_errno(-errno, "cannot become gid %u inside",
				 (unsigned)s->plan.setup_gid);
	if (setresuid(s->plan.setup_uid, s->plan.setup_uid, s->plan.setup_uid) < 0)
		return log_errno(-errno, "cannot become uid %u inside",
				 (unsigned)s->plan.setup_uid);
	return 0;
}

static int child_die_with_parent(struct run_state *s)
{
	if (!s->c->die_with_parent)
		return 0;
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		return log_errno(-errno, "PR_SET_PDEATHSIG");
	if (getppid() != s->outer_pid)
		return -EPIPE; /* the outer process died before the signal was armed */
	return 0;
}

static int child_own_group(struct run_state *s)
{
	/* Out of the terminal's foreground process group: a Ctrl-C reaches the
	 * outer process only, which forwards it once, instead of every process
	 * of the sandbox at once. Without a new session the command stays in
	 * the terminal's group, so that it may read from it. */
	if (s->c->new_session)
		setpgid(0, 0);
	return 0;
}

static int child_unshare(struct run_state *s)
{
	static const int flag[_NS_COUNT] = {
		[NS_MOUNT] = CLONE_NEWNS, [NS_PID] = CLONE_NEWPID, [NS_NET] = CLONE_NEWNET,
		[NS_IPC] = CLONE_NEWIPC,  [NS_UTS] = CLONE_NEWUTS, [NS_CGROUP] = CLONE_NEWCGROUP,
	};
	int flags = 0;
	for (enum ns_kind k = 0; k < _NS_COUNT; k++)
		if (!s->c->share[k] && !(k == NS_NET && s->c->net == NET_HOST))
			flags |= flag[k];
	flags |= CLONE_NEWNS; /* the private root needs it, always */
	if (unshare(flags) < 0)
		return log_errno(-errno, "cannot create the namespaces");
	return 0;
}

static int child_network(struct run_state *s)
{
	if (s->c->net == NET_HOST || s->c->share[NS_NET])
		return 0;
	int r = net_loopback_up();
	if (r < 0)
		return r;
	if (s->c->net != NET_USER)
		return 0;
	char b;
	if (send_byte(s->sock, MSG_NET_WAIT) < 0 || recv_byte(s->sock, &b) < 0 ||
	    b != MSG_NET_READY)
		return -EPIPE; /* the outer process said why */
	return 0;
}

static int child_hostname(struct run_state *s)
{
	if (s->c->share[NS_UTS])
		return 0;
	const char *name = s->c->hostname ? s->c->hostname : "sandbox";
	if (sethostname(name, strlen(name)) < 0)
		return log_errno(-errno, "cannot set the hostname");
	return 0;
}

/* The child's steps, in the new user namespace. */
static const struct step child_steps[] = {
	/* The user namespace came first and alone (clone); these are owned by
	 * it. Creating them needs only the capabilities the new user namespace
	 * gave us, not the id maps, so it runs while the outer process is still
	 * running newuidmap and newgidmap: the two slowest steps of a start
	 * (a network namespace alone takes milliseconds) overlap. */
	{ "namespaces", child_unshare },
	/* nothing else works before the outer process has mapped our ids */
	{ "id maps", child_wait_maps },
	/* become the caller's id inside, so what we create belongs to it */
	{ "ids", child_ids },
	/* after the id change: changing credentials clears the death signal */
	{ "die with the parent", child_die_with_parent },
	{ "process group", child_own_group },
	/* needs the network namespace; the helper needs its loopback up */
	{ "network", child_network },
	{ "hostname", child_hostname },
};

static _noreturn_ void child_main(struct run_state *s)
{
	/* The registry entry, --info-fd and --json-status-fd are the outer
	 * process's; nothing inside the sandbox keeps them. */
	registry_close_inherited(s->req->registry);
	if (run_steps(s, child_steps, ARRAY_SIZE(child_steps)) < 0)
		_exit(EXIT_SETUP);
	if (pipe2(s->alive_pipe, O_CLOEXEC) < 0) {
		log_errno(-errno, "pipe");
		_exit(EXIT_SETUP);
	}
	pid_t pid1 = fork();
	if (pid1 < 0) {
		log_errno(-errno, "cannot start PID 1: fork");
		_exit(EXIT_SETUP);
	}
	if (pid1 == 0)
		pid1_main(s);
	close(s->alive_pipe[0]);
	/* Our fork's answer is PID 1's pid in the caller's pid namespace: the one
	 * `sandbox list` shows and `enter` joins. */
	char msg[1 + sizeof(pid1)] = { MSG_PID1 };
	memcpy(msg + 1, &pid1, sizeof(pid1));
	send(s->sock, msg, sizeof(msg), MSG_NOSIGNAL);
	close(s->sock);
	_exit(init_supervise(pid1, pid1, false));
}

/* ---- the outer process -------------------------------------------------- */

static int read_sysctl(const char *path)
{
	_cleanup_free_ char *text = NULL;
	if (read_file(path, &text) < 0)
		return -1;
	return atoi(text);
}

/*
 * Explain why a user namespace could not be created (@clone_failed) or used
 * (setup failed inside it), with the fix, when the machine says why; the
 * choice is userns_advice()'s. Returns whether it said something.
 */
static bool explain_userns_failure(bool clone_failed, int err)
{
	_cleanup_free_ char *exe = realpath("/proc/self/exe", NULL);
	_cleanup_free_ char *label = NULL;
	if (read_file("/proc/self/attr/apparmor/current", &label) < 0)
		read_file("/proc/self/attr/current", &label);
	struct userns_facts f = {
		.unprivileged_userns_clone =
			read_sysctl("/proc/sys/kernel/unprivileged_userns_clone"),
		.max_user_namespaces = read_sysctl("/proc/sys/user/max_user_namespaces"),
		.apparmor_restrict =
			read_sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns"),
		.apparmor_label = label,
		.clone_failed = clone_failed,
		.err = err,
		.exe = exe,
		.installed_exe = BINDIR "/sandbox",
		.apparmor_profile = PKGDATADIR "/apparmor/sandbox",
	};
	_cleanup_free_ char *advice = userns_advice(&f);
	if (advice)
		log_error("%s", advice);
	else if (clone_failed)
		log_errno(err, "cannot create a user namespace");
	return advice != NULL;
}

static pid_t clone_userns(void)
{
	/* A raw clone with no new stack behaves like fork(), but creates the
	 * child in a new user namespace, on its own (DESIGN.md §2). */
	return (pid_t)syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, NULL);
}

static void kill_and_reap(pid_t pid)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

int run_sandbox(const struct run_request *req)
{
	struct run_state s = { .req = req, .c = req->config, .outer_pid = getpid() };
	if (idmap_prepare(s.c, &s.plan) < 0)
		return EXIT_SETUP;

	/* Blocked from here on in every process of the sandbox, until the
	 * payload unblocks them: no signal is lost between fork and loop. */
	sigset_t set, old;
	init_signal_set(&set);
	sigprocmask(SIG_BLOCK, &set, &old);

	/* Before the clone: PID 1 binds the proxy's socket into the new root.
	 * Its cleanup attribute stops it on every way out of this function. */
	_cleanup_(dbus_proxy_stop) struct dbus_proxy bus = { .alive_fd = -1 };
	if (dbus_proxy_start(s.c, &bus) < 0)
		return EXIT_SETUP;

	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return log_errno(-errno, "socketpair"), EXIT_SETUP;

	pid_t child = clone_userns();
	if (child < 0) {
		explain_userns_failure(true, -errno);
		close(sv[0]);
		close(sv[1]);
		return EXIT_SETUP;
	}
	if (child == 0) {
		close(sv[0]);
		s.sock = sv[1];
		child_main(&s);
	}
	close(sv[1]);
	_cleanup_close_ int sock = sv[0];

	if (idmap_write(child, &s.plan) < 0 || send_byte(sock, MSG_MAPPED) < 0) {
		explain_userns_failure(false, 0);
		kill_and_reap(child);
		return EXIT_SETUP;
	}

	struct net_helper helper = { 0 };
	if (s.c->net == NET_USER && !s.c->share[NS_NET]) {
		char b;
		if (recv_byte(sock, &b) == 0 && b == MSG_NET_WAIT) {
			if (net_user_start(s.c, child, &helper) < 0 ||
			    send_byte(sock, MSG_NET_READY) < 0) {
				net_user_stop(&helper);
				kill_and_reap(child);
				return EXIT_SETUP;
			}
		}
	}

	/* Not fatal when it fails: the sandbox runs, only unregistered. */
	char msg[1 + sizeof(pid_t)];
	bool pid1_started = false;
	if (recv(sock, msg, sizeof(msg), 0) == (ssize_t)sizeof(msg) && msg[0] == MSG_PID1) {
		pid_t pid1;
		memcpy(&pid1, msg + 1, sizeof(pid1));
		pid1_started = true;
		if (req->registry)
			registry_started(req->registry, pid1);
	}

	int code = init_supervise(child, child, false);
	/* A kernel or AppArmor policy that denies the user namespace its
	 * capabilities shows up before PID 1 exists; a 125 after that is a
	 * failure the sandbox already explained, or the command's own. */
	if (code == EXIT_SETUP && !pid1_started)
		explain_userns_failure(false, 0);
	if (req->registry)
		registry_finished(req->registry, code);
	net_user_stop(&helper);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return code;
}
