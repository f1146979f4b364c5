/* SPDX-License-Identifier: GPL-2.0-or-later */
/* helper.c - starting the programs we own outside the sandbox (see helper.h). */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "helper.h"
#include "log.h"

static void close_fds(unsigned first, unsigned last)
{
	if (first > last)
		return;
	if (syscall(SYS_close_range, first, last, 0) == 0)
		return;
	/* Kernels before 5.9: one by one, up to the limit. */
	long max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (unsigned fd = first; fd <= last && fd < (unsigned)max; fd++)
		close((int)fd);
}

static _noreturn_ void helper_child(const struct helper_exec *h, pid_t parent)
{
	/* Die with the outer sandbox, even when it is SIGKILLed; if it died
	 * between fork() and here, the signal will never come: give up. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(127);
	/* Out of the terminal's process group: ^C is the command's to get. */
	setpgid(0, 0);

	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);

	if (dup2(h->stdin_fd, STDIN_FILENO) < 0 || dup2(h->log_fd, STDOUT_FILENO) < 0 ||
	    dup2(h->log_fd, STDERR_FILENO) < 0)
		_exit(127);

	/* Exactly the fds it is told about: none of our sync pipes or sockets. */
	unsigned next = 3;
	for (size_t i = 0; i < ARRAY_SIZE(h->keep_fds); i++) {
		int fd = h->keep_fds[i];
		if (fd < 0)
			continue;
		close_fds(next, (unsigned)fd - 1);
		int flags = fcntl(fd, F_GETFD);
		if (flags < 0 || fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC) < 0)
			_exit(127);
		next = (unsigned)fd + 1;
	}
	close_fds(next, UINT_MAX);

	execv(h->exe, h->argv);
	int err = errno;
	static const char msg[] = "cannot execute the helper: ";
	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	const char *why = strerror(err);
	(void)!write(STDERR_FILENO, why, strlen(why));
	(void)!write(STDERR_FILENO, "\n", 1);
	_exit(127);
}

pid_t helper_spawn(const struct helper_exec *h)
{
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0)
		return log_errno(-errno, "cannot start %s: fork", h->exe);
	if (pid == 0)
		helper_child(h, parent);
	return pid;
}

char *helper_find(const char *name)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *p = path; *p;) {
		size_t len = strcspn(p, ":");
		/* Relative entries (the current directory) never name a helper. */
		if (len > 0 && p[0] == '/') {
			_cleanup_free_ char *dir = xstrndup(p, len);
			char *exe = xasprintf("%s/%s", dir, name);
			struct stat st;
			if (stat(exe, &st) == 0 && S_ISREG(st.st_mode) && access(exe, X_OK) == 0)
				return exe;
			free(exe);
		}
		p += len;
		if (*p == ':')
			p++;
	}
	return NULL;
}

int helper_private_dir(const char *path)
{
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return log_errno(-errno, "cannot create %s", path);
	struct stat st;
	if (lstat(path, &st) < 0)
		return log_errno(-errno, "cannot inspect %s", path);
	if (!S_ISDIR(st.st_mode) || st.st_uid != getuid() || (st.st_mode & 0077)) {
		log_error(
			"%s is not a private directory of yours (expected a directory of mode 0700 "
			"owned by uid %u); remove it",
			path, (unsigned)getuid());
		return -EPERM;
	}
	return 0;
}
