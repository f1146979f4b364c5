#!/usr/bin/env bats
# seccomp.bats - the seccomp filter as a user meets it: the baseline every
# shipped profile keeps, argument rules that the upper half of a register
# cannot side-step, other ABIs, the strict allow-list, --syscall rules on the
# command line, and the errors and dumps that explain a filter.
#
# Each test runs tests/probes/probe-syscall inside the sandbox: it prints
# "NAME: ok" or "NAME: errno E", or is killed (signal 31, exit 159).

load helpers

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# probe [SANDBOX OPTIONS...] NAME [ARGS...] - run one probe in the default profile
probe() {
	local opts=()
	while [ "$#" -gt 1 ] && [ "${1#--}" != "$1" ]; do
		opts+=("$1")
		shift
	done
	run sb_probe "${opts[@]}" -- "$PROBES/probe-syscall" "$@"
}

# --- terminals -------------------------------------------------------------------

@test "a sandboxed program cannot type into my terminal with TIOCSTI" {
	probe tiocsti
	assert_success
	assert_output "tiocsti: errno EPERM"
}

@test "setting the upper 32 bits of the ioctl request does not get TIOCSTI past the filter" {
	probe tiocsti-upper-bits
	assert_success
	assert_output "tiocsti-upper-bits: errno EPERM"
}

@test "TIOCLINUX is denied too, also with the upper bits set" {
	probe tioclinux
	assert_output "tioclinux: errno EPERM"
	probe tioclinux-upper-bits
	assert_output "tioclinux-upper-bits: errno EPERM"
}

@test "other ioctls still reach the kernel" {
	probe ioctl-fionread
	assert_success
	assert_output "ioctl-fionread: errno EBADF"
}

# --- namespaces --------------------------------------------------------------------

@test "a sandboxed program cannot create a user namespace with unshare" {
	probe unshare-user
	assert_output "unshare-user: errno EPERM"
}

@test "a sandboxed program cannot unshare its mount namespace" {
	probe unshare-mount
	assert_output "unshare-mount: errno EPERM"
}

@test "a sandboxed program cannot join another namespace with setns" {
	probe setns
	assert_output "setns: errno EPERM"
}

@test "clone with CLONE_NEWNS, CLONE_NEWUSER or CLONE_NEWNET fails with EPERM" {
	probe clone-newns
	assert_output "clone-newns: errno EPERM"
	probe clone-newuser
	assert_output "clone-newuser: errno EPERM"
	probe clone-newnet
	assert_output "clone-newnet: errno EPERM"
}

@test "plain clone and fork still work" {
	probe clone
	assert_output "clone: ok"
	probe fork
	assert_output "fork: ok"
}

@test "clone3 fails with ENOSYS, so glibc falls back to clone whose flags are checked" {
	probe clone3
	assert_output "clone3: errno ENOSYS"
	run sb -- sh -c 'sh -c "exit 7"; echo $?'
	assert_output 7
}

# --- sockets -----------------------------------------------------------------------

@test "vsock sockets are refused as if the kernel had none" {
	probe socket-vsock
	assert_output "socket-vsock: errno EAFNOSUPPORT"
	probe socket-vsock-upper-bits
	assert_output "socket-vsock-upper-bits: errno EAFNOSUPPORT"
}

@test "AF_ALG sockets (the kernel's crypto API) are refused" {
	probe socket-alg
	assert_output "socket-alg: errno EAFNOSUPPORT"
}

@test "unix sockets still work" {
	probe socket-unix
	assert_output "socket-unix: ok"
}

# --- kernel attack surface ---------------------------------------------------------

@test "io_uring is denied" {
	probe io_uring_setup
	assert_output "io_uring_setup: errno EPERM"
}

@test "bpf is denied" {
	probe bpf
	assert_output "bpf: errno EPERM"
}

@test "perf_event_open is denied" {
	probe perf_event_open
	assert_output "perf_event_open: errno EPERM"
}

@test "userfaultfd is denied" {
	probe userfaultfd
	assert_output "userfaultfd: errno EPERM"
}

@test "the kernel keyrings are out of reach: keyctl and add_key" {
	probe keyctl
	assert_output "keyctl: errno EPERM"
	probe add_key
	assert_output "add_key: errno EPERM"
}

@test "kexec and module loading are denied" {
	probe kexec_load
	assert_output "kexec_load: errno EPERM"
	probe finit_module
	assert_output "finit_module: errno EPERM"
}

@test "the mount API is denied: mount, umount2, pivot_root, open_tree, fsopen" {
	local p
	for p in mount umount2 pivot_root open_tree fsopen; do
		probe "$p"
		assert_output "$p: errno EPERM"
	done
}

@test "open_by_handle_at cannot walk around the new root" {
	probe open_by_handle_at
	assert_output "open_by_handle_at: errno EPERM"
}

@test "modify_ldt and the kernel log are denied" {
	probe modify_ldt
	assert_output "modify_ldt: errno EPERM"
	probe syslog
	assert_output "syslog: errno EPERM"
}

@test "ptrace of my own processes inside the sandbox is still allowed" {
	probe ptrace
	assert_output "ptrace: errno ESRCH"
}

# --- other ABIs --------------------------------------------------------------------

@test "an i386 syscall through int 0x80 kills the process" {
	[ "$(uname -m)" = x86_64 ] || skip "x86_64 only"
	probe int80
	assert_equal "$status" 159
	assert_output ""
}

@test "an x32 syscall kills the process" {
	[ "$(uname -m)" = x86_64 ] || skip "x86_64 only"
	probe x32
	assert_equal "$status" 159
}

@test "syscall arch all lets a profile opt in to i386 syscalls" {
	[ "$(uname -m)" = x86_64 ] || skip "x86_64 only"
	probe --syscall='arch all' int80
	assert_success
	assert_output "int80: ok"
}

# --- the strict allow-list ---------------------------------------------------------

@test "the strict profile runs ordinary commands" {
	run sb --profile=strict -- sh -c 'ls / >/dev/null && echo hi | sort | wc -l'
	assert_success
	assert_output 1
}

@test "the strict profile keeps the baseline denies" {
	probe --profile=strict tiocsti-upper-bits
	assert_output "tiocsti-upper-bits: errno EPERM"
	probe --profile=strict clone-newuser
	assert_output "clone-newuser: errno EPERM"
	probe --profile=strict io_uring_setup
	assert_output "io_uring_setup: errno EPERM"
}

@test "under the strict profile a syscall it does not allow fails with EPERM" {
	# pidfd_getfd (@debug) on fd -1: EBADF from the kernel when let through
	probe --profile=strict raw 438 -1 -1 0
	assert_output "438: errno EPERM"
}

@test "under the strict profile a syscall too new for the filter's tables fails with ENOSYS" {
	probe --profile=strict too-new
	assert_output "too-new: errno ENOSYS"
}

# --- rules on the command line -----------------------------------------------------

@test "--syscall adds a deny rule with my errno" {
	probe --syscall='deny getpid errno EACCES' getpid
	assert_output "getpid: errno EACCES"
}

@test "--syscall with kill: the process dies of SIGSYS" {
	probe --syscall='deny getpid kill' getpid
	assert_equal "$status" 159
}

@test "a later allow on the command line overrides the profile's deny" {
	probe --syscall='allow modify_ldt' modify_ldt
	assert_output "modify_ldt: ok"
}

@test "a rule on an argument: deny socket unless it is AF_UNIX" {
	probe --syscall='deny socket errno EACCES if arg0 != AF_UNIX' socket-unix
	assert_output "socket-unix: ok"
	# socket(AF_INET, SOCK_STREAM, 0)
	probe --syscall='deny socket errno EACCES if arg0 != AF_UNIX' raw 41 2 1 0
	assert_output "41: errno EACCES"
}

# --- errors ------------------------------------------------------------------------

@test "a misspelt syscall stops the run before anything starts, with a suggestion" {
	run sb --syscall='deny ptrce' -- true
	assert_equal "$status" 125
	assert_output --partial "unknown syscall 'ptrce'; did you mean 'ptrace'?"
}

@test "an unknown group in a profile is reported at its file, line and column" {
	run sb --profile="$TOP_SRCDIR/tests/fixtures/unknown-syscall-group.profile" -- true
	assert_equal "$status" 125
	assert_output --partial "unknown-syscall-group.profile:2:15: unknown syscall group '@basic-oi'; did you mean '@basic-io'?"
}

@test "an ordering test on a 32-bit argument is refused, since the upper bits could side-step it" {
	run sb --profile="$TOP_SRCDIR/tests/fixtures/ordering-on-32bit-arg.profile" -- true
	assert_equal "$status" 125
	assert_output --partial "ordering-on-32bit-arg.profile:2:14: arg1 of ioctl is a 32-bit integer"
}

@test "an unknown constant is refused" {
	run sb --syscall='deny ioctl if arg1 == TIOCSTII' -- true
	assert_equal "$status" 125
	assert_output --partial "unknown constant 'TIOCSTII'; did you mean 'TIOCSTI'?"
}

# --- explaining the filter ---------------------------------------------------------

@test "--dump-seccomp shows TIOCSTI compared on the low 32 bits and clone3 failing with ENOSYS" {
	run sb --dump-seccomp -- true
	assert_success
	assert_output --partial '$a1.lo32 & 0xffffffff == 21522'
	assert_output --regexp 'syscall "clone3" \(435\)[^#]*ERRNO\(38\)'
	assert_output --partial $'# invalid architecture action\naction KILL_PROCESS;'
}

@test "--list-syscall-groups prints every group with its members" {
	run sb --list-syscall-groups
	assert_success
	assert_line --regexp '^@basic-io'
	assert_line --regexp '^@system-service'
	assert_output --partial 'io_uring_setup'
}

@test "the printed profile compiles to the same filter" {
	sb --profile=strict --syscall='deny ioctl errno EACCES if arg1 == TIOCSCTTY' --print-profile -- true >printed.profile
	grep -q '^syscall default errno EPERM' printed.profile
	sb --profile=strict --syscall='deny ioctl errno EACCES if arg1 == TIOCSCTTY' --dump-seccomp -- true >want
	run sb --profile="$PWD/printed.profile" --dump-seccomp -- true
	assert_success
	assert_output "$(cat want)"
}
