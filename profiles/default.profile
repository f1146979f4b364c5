# default: what runs when no profile is named.
#
# The host system read-only, the current directory writable and the command's
# working directory (`workdir`: never your home directory or /, which it would
# expose whole), no network, and the baseline seccomp filter.
include base-fs
workdir
net none
include seccomp-baseline
