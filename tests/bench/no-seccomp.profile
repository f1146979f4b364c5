# no-seccomp: the filesystem and network of the default profile with no
# syscall rules at all, the reference the seccomp cost is measured against.
# With no rule and no default action, the compiled filter is the architecture
# check followed by "allow": the kernel answers every call from its
# constant-action cache and never runs it.
include base-fs
net none
