/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * probe-syscall - run inside the sandbox, try one thing a seccomp filter
 * should stop, and say how it went:
 *
 *	probe-syscall NAME      ->  "NAME: ok" or "NAME: errno EPERM"
 *	probe-syscall raw NR [ARG...]
 *
 * A call the filter kills never prints: the shell sees signal 31 (SIGSYS),
 * exit status 159. `probe-syscall list` prints the probe names. Arguments
 * are chosen so that a call the filter lets through fails (or succeeds)
 * harmlessly, even as root outside any sandbox (no mount on a real path, no
 * key added, the ioctls on fd -1), and differently from a seccomp errno
 * where possible (EBADF, EFAULT, ENOENT...), so the test sees who answered.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif
#ifndef AF_ALG
#define AF_ALG 38
#endif
#define UPPER ((unsigned long)1 << 32)

/* A child made by a clone that succeeded leaves at once. */
static long reap(long r)
{
	if (r == 0)
		_exit(0);
	if (r > 0)
		waitpid((pid_t)r, NULL, 0);
	return r > 0 ? 0 : r;
}

static long tiocsti(void)
{
	char c = ' ';
	return syscall(SYS_ioctl, -1, (unsigned long)TIOCSTI, &c);
}

static long tiocsti_upper(void)
{
	char c = ' ';
	return syscall(SYS_ioctl, -1, (unsigned long)TIOCSTI | UPPER, &c);
}

static long tioclinux(void)
{
	char sub = 0;
	return syscall(SYS_ioctl, -1, (unsigned long)TIOCLINUX, &sub);
}

static long tioclinux_upper(void)
{
	char sub = 0;
	return syscall(SYS_ioctl, -1, (unsigned long)TIOCLINUX | UPPER, &sub);
}

static long ioctl_fionread(void)
{
	int n;
	return syscall(SYS_ioctl, -1, (unsigned long)FIONREAD, &n);
}

static long unshare_user(void)
{
	return syscall(SYS_unshare, CLONE_NEWUSER);
}

static long unshare_ns(void)
{
	return syscall(SYS_unshare, CLONE_NEWNS);
}

static long setns_(void)
{
	return syscall(SYS_setns, -1, CLONE_NEWNET);
}

static long clone_flags(unsigned long flags)
{
	return reap(syscall(SYS_clone, flags | SIGCHLD, 0, NULL, NULL, 0));
}

static long clone_plain(void)
{
	return clone_flags(0);
}

static long clone_newns(void)
{
	return clone_flags(CLONE_NEWNS);
}

static long clone_newuser(void)
{
	return clone_flags(CLONE_NEWUSER);
}

static long clone_newnet(void)
{
	return clone_flags(CLONE_NEWNET);
}

static long clone3_(void)
{
	struct clone_args args = { .exit_signal = SIGCHLD };
	return reap(syscall(SYS_clone3, &args, sizeof(args)));
}

static long fork_(void)
{
	pid_t pid = fork();
	return reap(pid);
}

static long socket_domain(unsigned long domain, int type)
{
	long fd = syscall(SYS_socket, domain, type, 0);
	if (fd >= 0)
		close((int)fd);
	return fd < 0 ? fd : 0;
}

static long socket_vsock(void)
{
	return socket_domain(AF_VSOCK, SOCK_STREAM);
}

static long socket_vsock_upper(void)
{
	return socket_domain(AF_VSOCK | UPPER, SOCK_STREAM);
}

static long socket_alg(void)
{
	return socket_domain(AF_ALG, SOCK_SEQPACKET);
}

static long socket_unix(void)
{
	return socket_domain(AF_UNIX, SOCK_STREAM);
}

static long bpf_(void)
{
	return syscall(SYS_bpf, 0, NULL, 0); /* EFAULT when the filter lets it by */
}

static long perf_event_open_(void)
{
	return syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0);
}

static long userfaultfd_(void)
{
	long fd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (fd >= 0)
		close((int)fd);
	return fd < 0 ? fd : 0;
}

static long io_uring_setup_(void)
{
	return syscall(SYS_io_uring_setup, 1, NULL); /* EFAULT when let by */
}

static long keyctl_(void)
{
	return syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* session */, 0);
}

static long add_key_(void)
{
	return syscall(SYS_add_key, "user", "probe", "x", 1, 0); /* EINVAL when let by */
}

static long mount_(void)
{
	return syscall(SYS_mount, "none", "/nonexistent-probe", "tmpfs", 0, NULL);
}

static long umount2_(void)
{
	return syscall(SYS_umount2, "/nonexistent-probe", 0);
}

static long pivot_root_(void)
{
	return syscall(SYS_pivot_root, "/nonexistent-probe", "/nonexistent-probe");
}

static long open_tree_(void)
{
	long fd = syscall(SYS_open_tree, AT_FDCWD, "/", 0);
	if (fd >= 0)
		close((int)fd);
	return fd < 0 ? fd : 0;
}

static long fsopen_(void)
{
	long fd = syscall(SYS_fsopen, "tmpfs", 0);
	if (fd >= 0)
		close((int)fd);
	return fd < 0 ? fd : 0;
}

static long open_by_handle_at_(void)
{
	return syscall(SYS_open_by_handle_at, -1, NULL, 0); /* EBADF when let by */
}

static long kexec_load_(void)
{
	return syscall(SYS_kexec_load, 0, 0, NULL, 0xdead0000UL); /* bad flags: EINVAL or EPERM */
}

static long finit_module_(void)
{
	return syscall(SYS_finit_module, -1, "", 0);
}

static long ptrace_(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	/* tracing our own (zombie or gone) child: ESRCH when let by */
	long r = syscall(SYS_ptrace, PTRACE_PEEKDATA, pid, NULL, NULL);
	waitpid(pid, NULL, 0);
	return r;
}

static long modify_ldt_(void)
{
	char buf[16];
	return syscall(SYS_modify_ldt, 0, buf, sizeof(buf));
}

static long syslog_(void)
{
	return syscall(SYS_syslog, 10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
}

static long getpid_(void)
{
	return syscall(SYS_getpid) > 0 ? 0 : -1;
}

/* A syscall number past libseccomp 2.5's x86_64 table (456) that no kernel has yet. */
static long too_new(void)
{
	return syscall(470);
}

/* getpid through the i386 ABI (int 0x80, eax = 20). */
static long int80(void)
{
#if defined(__x86_64__)
	long r = 20;
	__asm__ volatile("int $0x80" : "+a"(r) : : "memory");
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return 0;
#else
	errno = ENOSYS;
	return -1;
#endif
}

/* getpid through the x32 ABI: the x86_64 number with bit 30 set. */
static long x32(void)
{
#if defined(__x86_64__)
	return syscall(0x40000000 | SYS_getpid) > 0 ? 0 : -1;
#else
	errno = ENOSYS;
	return -1;
#endif
}

static const struct probe {
	const char *name;
	long (*fn)(void);
} probes[] = {
	{ "tiocsti", tiocsti },
	{ "tiocsti-upper-bits", tiocsti_upper },
	{ "tioclinux", tioclinux },
	{ "tioclinux-upper-bits", tioclinux_upper },
	{ "ioctl-fionread", ioctl_fionread },
	{ "unshare-user", unshare_user },
	{ "unshare-mount", unshare_ns },
	{ "setns", setns_ },
	{ "clone", clone_plain },
	{ "clone-newns", clone_newns },
	{ "clone-newuser", clone_newuser },
	{ "clone-newnet", clone_newnet },
	{ "clone3", clone3_ },
	{ "fork", fork_ },
	{ "socket-vsock", socket_vsock },
	{ "socket-vsock-upper-bits", socket_vsock_upper },
	{ "socket-alg", socket_alg },
	{ "socket-unix", socket_unix },
	{ "bpf", bpf_ },
	{ "perf_event_open", perf_event_open_ },
	{ "userfaultfd", userfaultfd_ },
	{ "io_uring_setup", io_uring_setup_ },
	{ "keyctl", keyctl_ },
	{ "add_key", add_key_ },
	{ "mount", mount_ },
	{ "umount2", umount2_ },
	{ "pivot_root", pivot_root_ },
	{ "open_tree", open_tree_ },
	{ "fsopen", fsopen_ },
	{ "open_by_handle_at", open_by_handle_at_ },
	{ "kexec_load", kexec_load_ },
	{ "finit_module", finit_module_ },
	{ "ptrace", ptrace_ },
	{ "modify_ldt", modify_ldt_ },
	{ "syslog", syslog_ },
	{ "getpid", getpid_ },
	{ "too-new", too_new },
	{ "int80", int80 },
	{ "x32", x32 },
};

static int report(const char *name, long r, int err)
{
	if (r >= 0) {
		printf("%s: ok\n", name);
	} else {
		const char *e = strerrorname_np(err);
		if (e)
			printf("%s: errno %s\n", name, e);
		else
			printf("%s: errno %d\n", name, err);
	}
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "raw") == 0) {
		unsigned long a[6] = { 0 };
		for (int i = 3; i < argc && i < 9; i++)
			a[i - 3] = strtoul(argv[i], NULL, 0);
		errno = 0;
		long r = syscall(strtol(argv[2], NULL, 0), a[0], a[1], a[2], a[3], a[4], a[5]);
		return report(argv[2], r, errno);
	}
	if (argc == 2 && strcmp(argv[1], "list") == 0) {
		for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
			puts(probes[i].name);
		return 0;
	}
	for (size_t i = 0; argc == 2 && i < sizeof(probes) / sizeof(probes[0]); i++) {
		if (strcmp(probes[i].name, argv[1]) != 0)
			continue;
		errno = 0;
		long r = probes[i].fn();
		return report(argv[1], r, errno);
	}
	fprintf(stderr, "usage: probe-syscall NAME | raw NR [ARG...] | list\n");
	return 2;
}
