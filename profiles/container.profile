# container: a root filesystem of its own, such as an unpacked Alpine or a
# debootstrap tree, run like a container.
#
#   sandbox --profile=container --rootfs=DIR -- /bin/sh
#
# DIR is the whole root, writable (nosuid, nodev): nothing of the host's /usr
# or /etc is bound in. It gets a fresh /proc, a minimal /dev and an empty /tmp
# (their mount points are created in DIR when it lacks them), and a clean
# environment with the tree's own PATH. No network: add `--net=user` for a
# package manager that must download.
#
# Users: root inside is you outside, and with a subordinate id range
# (/etc/subuid) uids 1 to 65535 inside map to it, so a tree with several
# users works: `chown 1000:1000 file` succeeds and the file belongs to a uid
# of your range on the host. Without a range only root exists inside and
# such a chown fails with EINVAL ("Invalid argument"): the id has no mapping.
#
# Capabilities: unlike the other profiles, root keeps the set a container
# runtime gives by default. Package managers need them: apt drops to its
# _apt user (SETUID, SETGID), dpkg sets owners and modes on what it unpacks
# (CHOWN, FOWNER, FSETID, DAC_OVERRIDE), maintainer scripts send signals and
# set file capabilities (KILL, SETFCAP, SETPCAP). These capabilities belong to
# the sandbox's user namespace: they act only on files whose owner is mapped
# into it (yours and your range's) and on the sandbox's own processes and
# network namespace; on the host they are worth exactly what you already
# have. What touches the kernel as a whole (mounts, modules, raw I/O, the
# clock) stays denied by the seccomp baseline.
proc /proc
dev /dev
tmpfs /tmp
tmpfs /run
net none
hostname sandbox
chdir /
clearenv
setenv PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
keepenv TERM
cap-add CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP SETFCAP
cap-add NET_BIND_SERVICE SYS_CHROOT AUDIT_WRITE
include seccomp-baseline
