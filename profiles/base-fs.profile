# base-fs: the host system, read-only, with fresh /proc, /dev and /tmp.
#
# A building block: the other profiles include it and add what is writable.
# The -try forms skip what this host does not have (/lib32, /libx32, ...).
ro-bind-try /usr /etc
ro-bind-try /bin /sbin /lib /lib32 /lib64 /libx32
proc /proc
dev /dev
tmpfs /tmp
