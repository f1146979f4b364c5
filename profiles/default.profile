# default: what runs when no profile is named.
#
# The host system read-only, the current directory writable (and the working
# directory), no network, and the baseline seccomp filter.
include base-fs
bind-try ${PWD}
chdir ${PWD}
include protect-config
net none
include seccomp-baseline
