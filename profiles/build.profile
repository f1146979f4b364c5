# build: an untrusted build. The project directory is writable, nothing else.
#
# The host system read-only (compilers, make and git come from /usr), $HOME an
# empty tmpfs so the build cannot read your keys or write your dotfiles, the
# current directory writable on top of it (unless it is your home or /), no network, the baseline filter.
include base-fs
tmpfs ${HOME}
workdir
net none
include seccomp-baseline
