# seccomp-baseline: the syscalls no shipped profile allows (DESIGN.md section 5).
#
# A deny-list building block: it leaves the default action alone (allow,
# unless an earlier line set one), so it can close an allow-list too when it
# is included after the allow lines ("last word wins" per syscall).

# Calls through another ABI (i386 int 0x80, x32) kill the process: filters
# written for x86_64 numbers mean nothing for them.
syscall arch native

# io_uring runs I/O from kernel workers that seccomp never sees, and has been
# a steady source of kernel exploits.
syscall deny io_uring_setup io_uring_enter io_uring_register

# bpf: verifier bugs are a classic local root; unprivileged use is off on
# most distributions anyway.
syscall deny bpf

# perf_event_open: kernel bugs and side channels into other processes.
syscall deny perf_event_open

# userfaultfd lets a process stall the kernel in the middle of a copy from
# user memory, the usual trick that makes kernel race bugs exploitable.
syscall deny userfaultfd

# The keyrings are not namespaced: a sandbox could read or stuff the keys
# of the user's session.
syscall deny add_key request_key keyctl

# Replacing the kernel, loading modules, rebooting.
syscall deny kexec_load kexec_file_load reboot
syscall deny @module

# The mount API, old and new: the sandbox's mount table is final once the
# payload runs, and mount code is a large attack surface (includes chroot,
# pivot_root, umount2, fsopen, fsconfig, fsmount, fspick, move_mount,
# open_tree, mount_setattr).
syscall deny @mount

# No nested namespaces: a new user namespace hands back a full set of
# capabilities over new namespaces and opens kernel code an unprivileged
# process otherwise cannot reach. clone3 always fails with ENOSYS (its flags
# are behind a pointer), so glibc falls back to clone, whose flags are checked
# here. CLONE_NEWTIME is only accepted by unshare and clone3, both closed.
syscall deny unshare setns
syscall deny clone if arg0 & CLONE_NEWUSER|CLONE_NEWNS|CLONE_NEWPID|CLONE_NEWNET|CLONE_NEWIPC|CLONE_NEWUTS|CLONE_NEWCGROUP

# open_by_handle_at walks from a file handle to any inode of a mounted file
# system, around the new root (the 2014 "shocker" container escape).
syscall deny open_by_handle_at

# Pushing characters into the input of a terminal shared with the outside:
# TIOCSTI (CVE-2017-5226 in bubblewrap) and TIOCLINUX on a virtual console.
# TIOCSETD attaches a line discipline, which may autoload a buggy module
# (CVE-2017-2636, n_hdlc).
syscall deny ioctl if arg1 == TIOCSTI
syscall deny ioctl if arg1 == TIOCLINUX
syscall deny ioctl if arg1 == TIOCSETD

# vsock talks to the hypervisor or to other VMs; AF_ALG exposes the kernel's
# crypto code (CVE-2015-8970, CVE-2017-17805...). EAFNOSUPPORT is what a
# kernel without them answers, so programs fall back as they would there.
syscall deny socket errno EAFNOSUPPORT if arg0 == AF_VSOCK
syscall deny socket errno EAFNOSUPPORT if arg0 == AF_ALG
syscall deny socketpair errno EAFNOSUPPORT if arg0 == AF_VSOCK
syscall deny socketpair errno EAFNOSUPPORT if arg0 == AF_ALG

# Obsolete calls nothing needs; several are rarely tested kernel code.
syscall deny @obsolete

# What else a careful reviewer closes:
# - modify_ldt and vm86 (CVE-2015-5157, CVE-2014-8134): 16-bit code segments.
syscall deny @cpu-emulation
# - raw port I/O, swap, the system clock, process accounting, quotas: need
#   host privileges, so they are only ever an attack surface here.
syscall deny @raw-io @swap @clock acct quotactl quotactl_fd
# - the kernel log leaks kernel addresses and the host's messages.
syscall deny syslog
# - fanotify can watch whole mounts; nfsservctl and vhangup are for the host.
syscall deny fanotify_init fanotify_mark nfsservctl vhangup
