// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * syscall-cost: the time one system call takes, to measure what the seccomp
 * filter adds to it. Run it inside a sandbox with and without the filter.
 *
 *   syscall-cost [--allow-all-filter] getppid|ioctl [N]
 *
 * getppid is a call every profile allows outright, so the kernel can answer
 * it from its constant-action cache without running the filter; ioctl is one
 * the baseline checks by argument (TIOCSTI, TIOCLINUX), so the filter runs.
 * The ioctl is FIONREAD on a pipe, which the filter lets through.
 *
 * --allow-all-filter first installs a one-instruction filter that allows
 * everything: the fixed cost the kernel charges any filtered process on every
 * call, whatever the filter says.
 *
 * Prints the best of several rounds of N calls, in nanoseconds per call,
 * on one line: "NAME NS_PER_CALL".
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 7

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int call_getppid(int fd)
{
	(void)fd;
	return (int)syscall(SYS_getppid);
}

static int call_ioctl(int fd)
{
	int n;
	return (int)syscall(SYS_ioctl, fd, FIONREAD, &n);
}

static int allow_all_filter(void)
{
	struct sock_filter insn = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { .len = 1, .filter = &insn };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
		perror("syscall-cost: seccomp");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--allow-all-filter") == 0) {
		if (allow_all_filter() < 0)
			return 1;
		argv++;
		argc--;
	}
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: syscall-cost [--allow-all-filter] getppid|ioctl [N]\n");
		return 2;
	}
	long n = argc == 3 ? strtol(argv[2], NULL, 10) : 1000000;
	if (n <= 0) {
		fprintf(stderr, "syscall-cost: bad count '%s'\n", argv[2]);
		return 2;
	}
	int (*fn)(int);
	if (strcmp(argv[1], "getppid") == 0) {
		fn = call_getppid;
	} else if (strcmp(argv[1], "ioctl") == 0) {
		fn = call_ioctl;
	} else {
		fprintf(stderr, "syscall-cost: unknown call '%s'\n", argv[1]);
		return 2;
	}
	int p[2];
	if (pipe(p) < 0) {
		perror("syscall-cost: pipe");
		return 1;
	}
	/* One call first, so a filter that refuses it fails the run loudly. */
	if (fn(p[0]) < 0) {
		fprintf(stderr, "syscall-cost: %s failed: %s\n", argv[1], strerror(errno));
		return 1;
	}
	double best = -1;
	for (int r = 0; r < ROUNDS; r++) {
		double t0 = now_ns();
		for (long i = 0; i < n; i++)
			fn(p[0]);
		double per = (now_ns() - t0) / (double)n;
		if (best < 0 || per < best)
			best = per;
	}
	printf("%s %.1f\n", argv[1], best);
	return 0;
}
