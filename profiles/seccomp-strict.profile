# seccomp-strict: an allow-list for ordinary command-line programs and builds.
#
# Everything not named here fails with EPERM; syscalls too new for the
# filter compiler's tables fail with ENOSYS so libc falls back. The baseline
# is included last, so its denies win over the groups allowed here.

syscall default errno EPERM

# @system-service is what an ordinary program uses: files, I/O, processes,
# signals, timers, sockets, pipes and shared memory, ids.
syscall allow @system-service

# Programs that sandbox themselves further (browsers, test runners).
syscall allow @sandbox

# Memory protection keys, used by some allocators and JITs.
syscall allow @pkey

# Debuggers, strace and sanitizers inside the sandbox only reach the
# sandbox's own processes.
syscall allow ptrace process_vm_readv process_vm_writev

include seccomp-baseline
