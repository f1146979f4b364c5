/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * init.c - the supervision loop of PID 1 and of the processes above it.
 *
 * A signalfd loop: the forwarded signals and SIGCHLD are blocked (from before
 * the first fork, so none is lost in between) and read as data. PID 1 of a
 * pid namespace gets no default action for signals from outside, so a
 * SIGTERM to it would otherwise be dropped; blocked signals are queued, and
 * this loop passes them on to the command.
 */
#include "config.h"

#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

#include "init.h"
#include "log.h"

static const int forwarded[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };

void init_signal_set(sigset_t *ret)
{
	sigemptyset(ret);
	for (size_t i = 0; i < ARRAY_SIZE(forwarded); i++)
		sigaddset(ret, forwarded[i]);
	sigaddset(ret, SIGCHLD);
}

int init_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 125;
}

/* Reap what has exited; returns true when @child was among them. */
static bool reap(pid_t child, bool reap_all, int *ret_status)
{
	for (;;) {
		int status;
		pid_t p = waitpid(reap_all ? -1 : child, &status, WNOHANG);
		if (p <= 0)
			return false;
		if (p == child) {
			*ret_status = status;
			return true;
		}
	}
}

int init_supervise(pid_t child, pid_t target, bool reap_all)
{
	sigset_t set;
	init_signal_set(&set);
	int status = 0;
	int sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0) {
		/* No signalfd: still never abandon the child. */
		log_errno(-errno, "signalfd (signals will not be forwarded)");
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
		return init_exit_code(status);
	}
	for (;;) {
		if (reap(child, reap_all, &status))
			break;
		struct signalfd_siginfo si;
		ssize_t n = read(sfd, &si, sizeof(si));
		if (n != (ssize_t)sizeof(si))
			continue;
		if (si.ssi_signo != SIGCHLD)
			kill(target, (int)si.ssi_signo);
	}
	close(sfd);
	return init_exit_code(status);
}
