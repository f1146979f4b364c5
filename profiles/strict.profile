# strict: as little as a command needs to run, and nothing it can change.
#
# The current directory is visible but read-only, the environment is cleared
# down to a sane PATH, HOME and TERM, and the seccomp filter is an allow-list:
# a syscall it does not name fails.
include base-fs
workdir ro
net none
hostname sandbox
clearenv
setenv PATH=/usr/local/bin:/usr/bin:/bin HOME=/tmp
keepenv TERM
include seccomp-strict
