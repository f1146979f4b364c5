# build: an untrusted build. The project directory is writable, nothing else.
#
# Run it from the project: `sandbox --profile=build -- make check`.
#
# - The host system read-only: compilers, make, cmake, git and interpreters come
#   from /usr; a build that writes to /usr or /etc fails as it would for you.
# - $HOME is an empty tmpfs, so the build cannot read your keys or write your
#   dotfiles; caches under it (ccache, pip, cargo, go) start empty and vanish
#   with the sandbox. Sharing your real cache (`bind ${HOME}/.cache/ccache` in a
#   build.d/*.profile drop-in) would let one build poison the next: do it only
#   for builds you trust.
# - The current directory is shared writable and is where the command runs
#   (never your home directory or /, see `workdir`). To keep the project itself
#   untouched, add `--overlay=${PWD}`: writes then land in a throw-away layer,
#   or persist in UPPER/upper with `--overlay="${PWD} upper=UPPER"`.
# - No network: `--net=user` when the build must fetch.
#
# `user self`: the build runs with your own uid, not as root inside. It has no
# capabilities either way, so root would buy it nothing, and many tools act
# differently as root: some refuse to run (makepkg), test suites skip or fail
# their permission tests because they expect root to bypass them, package
# tools warn. As yourself, the files the build makes are yours inside and out,
# and git sees a project you own as yours.
include base-fs
user self
tmpfs ${HOME}
workdir
net none

# Where temporary files go: the sandbox's own /tmp, whatever TMPDIR said
# outside (it may name a directory that is not inside).
setenv TMPDIR=/tmp

# The CPU topology: nproc and sysconf come from /proc and sched_getaffinity,
# but BLAS libraries, build systems and runtimes also read CPU counts and
# cache sizes here. Read-only, and nothing else of /sys.
ro-bind-try /sys/devices/system/cpu

# git refuses a repository owned by another uid ("dubious ownership"), which
# is what a checkout by another account looks like inside. The check guards
# against running a stranger's repository hooks and config; in a build
# sandbox the project's code runs anyway, so trust the project directory,
# and only it. This is git's command-line scope, which it honours for
# safe.directory.
setenv GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=safe.directory GIT_CONFIG_VALUE_0=${PWD}

include seccomp-baseline
