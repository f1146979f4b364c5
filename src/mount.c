/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mount.c - the mount plan executor (see mount.h).
 *
 * Layout while building, all inside our private mount namespace:
 *
 *   (stacked on /)           a staging tmpfs, reached only through its fd;
 *                            absolute paths still resolve in the host's tree
 *     root/                  the new root: a fresh tmpfs, or the rootfs bind
 *     files/                 contents of `file` operations, bound into root/
 *     overlay-N/             a tmpfs with the upper and work directories of
 *                            the Nth overlay without upper=
 *
 * After the plan, pivot_root(".", ".") inside root/ stacks the old root under
 * the new one and a lazy unmount detaches it, staging area included.
 *
 * Must not: follow a symlink in a destination, write into a shared directory
 * of the host, or parse strings (the config is already validated).
 */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/mount.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include "mount.h"

struct builder {
	const struct sandbox_config *c;
	int stage_fd; /* the staging tmpfs */
	int files_fd; /* staging/files */
	int root_fd;  /* the new root */
	unsigned n_files;
	unsigned n_overlays;
};

static const char *loc_str(const struct source_loc *loc, char *buf, size_t size)
{
	if (loc && loc->file)
		snprintf(buf, size, " (%s:%u)", loc->file, loc->line);
	else if (loc && loc->column)
		snprintf(buf, size, " (command line)");
	else
		buf[0] = '\0';
	return buf;
}

#define LOC(m) loc_str(&(m)->loc, (char[PATH_MAX + 32]){ 0 }, PATH_MAX + 32)

static int set_attr(int fd, uint64_t set, bool recursive)
{
	struct mount_attr attr = { .attr_set = set };
	return mount_setattr(fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr,
			     sizeof(attr));
}

static int attach(int tree_fd, int dest_fd)
{
	return move_mount(tree_fd, "", dest_fd, "",
			  MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
}

/*
 * A new filesystem instance as a detached mount. @opts are key=value pairs
 * (NULL-terminated, value may be NULL for a flag). Returns the mount fd or
 * -errno.
 */
static int new_fs(const char *type, const char *const *opts, uint64_t attrs)
{
	_cleanup_close_ int fs = fsopen(type, FSOPEN_CLOEXEC);
	if (fs < 0)
		return -errno;
	for (size_t i = 0; opts && opts[i]; i += 2) {
		int r = opts[i + 1] ? fsconfig(fs, FSCONFIG_SET_STRING, opts[i], opts[i + 1], 0)
				    : fsconfig(fs, FSCONFIG_SET_FLAG, opts[i], NULL, 0);
		if (r < 0)
			return -errno;
	}
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return -errno;
	int mnt = fsmount(fs, FSMOUNT_CLOEXEC, (unsigned)attrs);
	return mnt < 0 ? -errno : mnt;
}

/*
 * Open the directory @path (absolute, normalised) beneath @root, one
 * component at a time, never following a symlink. Missing components are
 * created when @create. Returns an O_PATH fd or -errno (logged).
 */
static int walk_dir(int root, const char *path, bool create, const char *why)
{
	_cleanup_close_ int cur = fcntl(root, F_DUPFD_CLOEXEC, 3);
	if (cur < 0)
		return log_errno(-errno, "dup");
	_cleanup_free_ char *copy = xstrdup(path);
	char *save = NULL;
	for (char *comp = strtok_r(copy, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		int fd = openat(cur, comp, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT && create) {
			if (mkdirat(cur, comp, 0755) < 0 && errno != EEXIST) {
				int e = -errno;
				return log_errno(e,
						 "%s: cannot create directory '%s' in the new root",
						 why, comp);
			}
			fd = openat(cur, comp, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
		}
		if (fd < 0) {
			int e = -errno;
			struct stat st;
			if ((e == -ENOTDIR || e == -ELOOP) &&
			    fstatat(cur, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISLNK(st.st_mode)) {
				log_error("%s: '%s' in '%s' is a symlink inside the new root; "
					  "refusing "
					  "to follow it",
					  why, comp, path);
				return -ELOOP;
			}
			if (e == -ENOENT && !create)
				return e;
			return log_errno(e, "%s: cannot open '%s' in the new root", why, path);
		}
		close(cur);
		cur = fd;
	}
	return STEAL_FD(cur);
}

enum dest_type {
	DEST_DIR,
	DEST_FILE,
	DEST_ANY, /* must exist */
};

/* Split "/a/b/c" into its parent ("/a/b") and its last component ("c"). */
static void split_last(const char *path, char **ret_parent, const char **ret_base)
{
	const char *slash = strrchr(path, '/');
	*ret_parent = slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
	*ret_base = slash + 1;
}

/*
 * Open the destination @path beneath @root as an O_PATH fd, creating it (a
 * directory or an empty file) when missing and @type says which. A
 * destination that is itself a symlink is refused. -ENOENT is returned
 * quietly for DEST_ANY when it does not exist.
 */
static int open_dest(int root, const char *path, enum dest_type type, const char *why)
{
	if (streq(path, "/"))
		return fcntl(root, F_DUPFD_CLOEXEC, 3);
	_cleanup_free_ char *parent = NULL;
	const char *base;
	split_last(path, &parent, &base);
	_cleanup_close_ int dir = walk_dir(root, parent, type != DEST_ANY, why);
	if (dir < 0)
		return dir;

	int fd = openat(dir, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && type != DEST_ANY) {
		int r = 0;
		if (type == DEST_DIR) {
			r = mkdirat(dir, base, 0755);
		} else {
			int f = openat(dir, base,
				       O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
			if (f >= 0)
				close(f);
			r = f < 0 ? -1 : 0;
		}
		if (r < 0 && errno != EEXIST)
			return log_errno(-errno, "%s: cannot create '%s' in the new root", why,
					 path);
		fd = openat(dir, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0) {
		if (errno == ENOENT && type == DEST_ANY)
			return -ENOENT;
		return log_errno(-errno, "%s: cannot open '%s' in the new root", why, path);
	}
	struct stat st;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return log_errno(-errno, "%s: cannot stat '%s'", why, path);
	}
	if (S_ISLNK(st.st_mode)) {
		close(fd);
		log_error("%s: '%s' is a symlink inside the new root; refusing to follow it", why,
			  path);
		return -ELOOP;
	}
	if ((type == DEST_DIR && !S_ISDIR(st.st_mode)) ||
	    (type == DEST_FILE && S_ISDIR(st.st_mode))) {
		close(fd);
		log_error("%s: '%s' exists in the new root and is %s a directory", why, path,
			  type == DEST_DIR ? "not" : "");
		return -ENOTDIR;
	}
	return fd;
}

static int do_bind(struct builder *b, const struct mount_op *m)
{
	char why[PATH_MAX + 64];
	snprintf(why, sizeof(why), "%s %s%s", mount_kind_name(m->kind), m->src, LOC(m));
	_cleanup_close_ int tree =
		open_tree(AT_FDCWD, m->src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (tree < 0) {
		if (errno == ENOENT && m->try_)
			return 0;
		if (errno == ENOENT)
			return log_errno(-ENOENT,
					 "%s: the source does not exist (use %s-try to skip "
					 "it when missing)",
					 why, mount_kind_name(m->kind));
		return log_errno(-errno, "%s: cannot bind the source", why);
	}
	uint64_t attrs = MOUNT_ATTR_NOSUID;
	if (m->kind != MOUNT_DEV_BIND)
		attrs |= MOUNT_ATTR_NODEV;
	if (m->kind == MOUNT_RO_BIND)
		attrs |= MOUNT_ATTR_RDONLY;
	if (set_attr(tree, attrs, true) < 0)
		return log_errno(-errno, "%s: cannot set mount flags", why);
	struct stat st;
	if (fstat(tree, &st) < 0)
		return log_errno(-errno, "%s: cannot stat the source", why);
	_cleanup_close_ int dest =
		open_dest(b->root_fd, m->dest, S_ISDIR(st.st_mode) ? DEST_DIR : DEST_FILE, why);
	if (dest < 0)
		return dest;
	if (attach(tree, dest) < 0)
		return log_errno(-errno, "%s: cannot mount it at %s", why, m->dest);
	return 0;
}

static int mount_new_fs_at(struct builder *b, const char *type, const char *const *opts,
			   uint64_t attrs, const char *dest_path, const char *why)
{
	_cleanup_close_ int dest = open_dest(b->root_fd, dest_path, DEST_DIR, why);
	if (dest < 0)
		return dest;
	_cleanup_close_ int mnt = new_fs(type, opts, attrs);
	if (mnt < 0)
		return log_errno(mnt, "%s: cannot create a %s filesystem", why, type);
	if (attach(mnt, dest) < 0)
		return log_errno(-errno, "%s: cannot mount it", why);
	return 0;
}

static int do_tmpfs(struct builder *b, const struct mount_op *m)
{
	char why[PATH_MAX + 64], size[32], mode[16];
	snprintf(why, sizeof(why), "tmpfs %s%s", m->dest, LOC(m));
	const char *opts[7] = { 0 };
	size_t n = 0;
	if (m->size) {
		snprintf(size, sizeof(size), "%llu", (unsigned long long)m->size);
		opts[n++] = "size";
		opts[n++] = size;
	}
	snprintf(mode, sizeof(mode), "%04o", m->has_mode ? (unsigned)m->mode : 01777u);
	opts[n++] = "mode";
	opts[n++] = mode;
	return mount_new_fs_at(b, "tmpfs", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, m->dest,
			       why);
}

/* Bind a path of a mount onto itself read-only. */
static int make_readonly(int dirfd, const char *path, bool recursive)
{
	_cleanup_close_ int tree = open_tree(dirfd, path,
					     OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH |
						     (recursive ? AT_RECURSIVE : 0));
	if (tree < 0)
		return -errno;
	if (set_attr(tree, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, recursive) < 0)
		return -errno;
	if (!*path) /* @dirfd is the place itself, a file as well as a directory */
		return attach(tree, dirfd) < 0 ? -errno : 0;
	_cleanup_close_ int dest = openat(dirfd, path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (dest < 0)
		return -errno;
	return attach(tree, dest) < 0 ? -errno : 0;
}

static int do_proc(struct builder *b, const struct mount_op *m)
{
	char why[PATH_MAX + 64];
	snprintf(why, sizeof(why), "proc %s%s", m->dest, LOC(m));
	_cleanup_close_ int dest = open_dest(b->root_fd, m->dest, DEST_DIR, why);
	if (dest < 0)
		return dest;
	_cleanup_close_ int mnt =
		new_fs("proc", NULL, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	if (mnt < 0)
		return log_errno(mnt,
				 "%s: cannot mount a procfs (a fully visible /proc is needed "
				 "outside)",
				 why);
	/* Knobs that reach beyond the sandbox stay read-only even for root
	 * inside; most already refuse an unprivileged writer, this is the second
	 * lock on the door. */
	static const char *const covered[] = { "sys", "sysrq-trigger", "irq", "bus" };
	for (size_t i = 0; i < ARRAY_SIZE(covered); i++) {
		int r = make_readonly(mnt, covered[i], true);
		if (r < 0 && r != -ENOENT)
			return log_errno(r, "%s: cannot make /proc/%s read-only", why, covered[i]);
	}
	if (attach(mnt, dest) < 0)
		return log_errno(-errno, "%s: cannot mount it", why);
	return 0;
}

static int symlink_beneath(int dir, const char *target, const char *name, const char *why)
{
	if (symlinkat(target, dir, name) == 0)
		return 0;
	if (errno == EEXIST) {
		char buf[PATH_MAX];
		ssize_t n = readlinkat(dir, name, buf, sizeof(buf) - 1);
		if (n >= 0) {
			buf[n] = '\0';
			if (streq(buf, target))
				return 0;
		}
		log_error("%s: '%s' already exists", why, name);
		return -EEXIST;
	}
	return log_errno(-errno, "%s: cannot create the symlink '%s'", why, name);
}

static int do_dev(struct builder *b, const struct mount_op *m)
{
	char why[PATH_MAX + 64];
	snprintf(why, sizeof(why), "dev %s%s", m->dest, LOC(m));
	static const char *const tmpfs_opts[] = { "mode", "0755", NULL };
	int r = mount_new_fs_at(b, "tmpfs", tmpfs_opts,
				MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODEV, m->dest,
				why);
	if (r < 0)
		return r;
	_cleanup_close_ int dev = open_dest(b->root_fd, m->dest, DEST_DIR, why);
	if (dev < 0)
		return dev;

	/* Device nodes cannot be created in a user namespace; bind the host's. */
	static const char *const nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };
	for (size_t i = 0; i < ARRAY_SIZE(nodes); i++) {
		char src[32];
		snprintf(src, sizeof(src), "/dev/%s", nodes[i]);
		_cleanup_close_ int tree =
			open_tree(AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (tree < 0)
			return log_errno(-errno, "%s: cannot bind %s", why, src);
		if (set_attr(tree, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, false) < 0)
			return log_errno(-errno, "%s: cannot set flags on %s", why, src);
		int f = openat(dev, nodes[i], O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC,
			       0666);
		if (f < 0)
			return log_errno(-errno, "%s: cannot create %s", why, nodes[i]);
		close(f);
		_cleanup_close_ int node = openat(dev, nodes[i], O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (node < 0 || attach(tree, node) < 0)
			return log_errno(-errno, "%s: cannot mount %s", why, src);
	}

	/* A private devpts: the sandbox sees only its own ptys. */
	if (mkdirat(dev, "pts", 0755) < 0 || mkdirat(dev, "shm", 01777) < 0)
		return log_errno(-errno, "%s: cannot create pts and shm", why);
	static const char *const pts_opts[] = { "newinstance", NULL,   "ptmxmode", "0666",
						"mode",	       "0620", NULL };
	_cleanup_close_ int pts = new_fs("devpts", pts_opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	_cleanup_close_ int pts_dir = openat(dev, "pts", O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (pts < 0 || pts_dir < 0 || attach(pts, pts_dir) < 0)
		return log_errno(pts < 0 ? pts : -errno, "%s: cannot mount a devpts", why);
	static const char *const shm_opts[] = { "mode", "1777", NULL };
	_cleanup_close_ int shm = new_fs("tmpfs", shm_opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
	_cleanup_close_ int shm_dir = openat(dev, "shm", O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (shm < 0 || shm_dir < 0 || attach(shm, shm_dir) < 0)
		return log_errno(shm < 0 ? shm : -errno, "%s: cannot mount /dev/shm", why);
	/* mkdirat applied the umask to shm's mode; the mount hides it anyway. */

	static const char *const links[][2] = {
		{ "pts/ptmx", "ptmx" },		 { "/proc/self/fd", "fd" },
		{ "/proc/self/fd/0", "stdin" },	 { "/proc/self/fd/1", "stdout" },
		{ "/proc/self/fd/2", "stderr" }, { "/proc/kcore", "core" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(links); i++) {
		r = symlink_beneath(dev, links[i][0], links[i][1], why);
		if (r < 0)
			return r;
	}
	return 0;
}

static int do_simple_fs(struct builder *b, const struct mount_op *m, const char *type)
{
	char why[PATH_MAX + 64];
	snprintf(why, sizeof(why), "%s %s%s", mount_kind_name(m->kind), m->dest, LOC(m));
	return mount_new_fs_at(b, type, NULL,
			       MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, m->dest,
			       why);
}

static int do_dir(struct builder *b, const struct mount_op *m)
{
	char why[PATH_MAX + 64];
	snprintf(why, sizeof(why), "dir %s%s", m->dest, LOC(m));
	_cleanup_close_ int fd = open_dest(b->root_fd, m->dest, DEST_DIR, why);
	return fd < 0 ? fd : 0;
}

static int do_symlink(struct builder *b, const struct mount_op *m)
{
	char why[PATH_MAX + 64];
	snprintf(why, sizeof(why), "symlink %s%s", m->dest, LOC(m));
	_cleanup_free_ char *parent = NULL;
	const char *base;
	split_last(m->dest, &parent, &base);
	_cleanup_close_ int dir = walk_dir(b->root_fd, parent, true, why);
	if (dir < 0)
		return dir;
	return symlink_beneath(dir, m->src, base, why);
}

/*
 * The content is written to a file in the staging tmpfs, which is bound
 * read-only over the destination: this works also where the destination's
 * directory is a read-only bind (an /etc/resolv.conf over the host's /etc).
 */
static int do_file(struct builder *b, const struct mount_op *m)
{
	char why[PATH_MAX + 64], name[32];
	snprintf(why, sizeof(why), "file %s%s", m->dest, LOC(m));
	snprintf(name, sizeof(name), "%u", b->n_files++);
	_cleanup_close_ int f =
		openat(b->files_fd, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
	if (f < 0)
		return log_errno(-errno, "%s: cannot stage the content", why);
	int r = write_all(f, m->src, strlen(m->src));
	if (r < 0)
		return log_errno(r, "%s: cannot stage the content", why);
	_cleanup_close_ int tree =
		open_tree(b->files_fd, name, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree < 0 ||
	    set_attr(tree, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, false) < 0)
		return log_errno(-errno, "%s: cannot bind the content", why);
	_cleanup_close_ int dest = open_dest(b->root_fd, m->dest, DEST_FILE, why);
	if (dest < 0)
		return dest;
	if (attach(tree, dest) < 0)
		return log_errno(-errno, "%s: cannot mount it", why);
	return 0;
}

static int do_remount_ro(struct builder *b, const struct mount_op *m)
{
	char why[PATH_MAX + 64];
	snprintf(why, sizeof(why), "remount-ro %s%s", m->dest, LOC(m));
	_cleanup_close_ int dest = open_dest(b->root_fd, m->dest, DEST_ANY, why);
	if (dest == -ENOENT)
		return log_errno(dest, "%s: no such path in the new root", why);
	if (dest < 0)
		return dest;
	int r = make_readonly(dest, "", true);
	return r < 0 ? log_errno(r, "%s", why) : 0;
}

static int do_chmod(struct builder *b, const struct mount_op *m)
{
	char why[PATH_MAX + 64];
	snprintf(why, sizeof(why), "chmod %s%s", m->dest, LOC(m));
	_cleanup_close_ int dest = open_dest(b->root_fd, m->dest, DEST_ANY, why);
	if (dest == -ENOENT)
		return log_errno(dest, "%s: no such path in the new root", why);
	if (dest < 0)
		return dest;
		/* fchmodat2 (Linux 6.6) takes AT_EMPTY_PATH; before it, go through the
		 * fd's /proc entry, which is safe because it names this very inode. */
#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452
#endif
	if (syscall(__NR_fchmodat2, dest, "", m->mode, AT_EMPTY_PATH) == 0)
		return 0;
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", dest);
	if (chmod(proc, m->mode) < 0)
		return log_errno(-errno, "%s: cannot change the mode", why);
	return 0;
}

/*
 * Open @name beneath the directory @dir for use as an overlay layer: a real
 * directory, not a symlink, created (mode 0755) when missing and @create.
 * Returns an O_RDONLY fd (fsconfig's FSCONFIG_SET_FD does not take O_PATH).
 */
static int open_layer_dir(int dir, const char *name, bool create)
{
	if (create && mkdirat(dir, name, 0755) < 0 && errno != EEXIST)
		return -errno;
	int fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/*
 * The upper layer kept on the host, in UPPER: writes land in UPPER/upper and
 * the kernel's scratch space is UPPER/work, which overlayfs requires on the
 * same filesystem as the upper. UPPER and both subdirectories are created
 * when missing; none of them may be a symlink and UPPER must be ours, so a
 * directory another user planted (in /tmp, say) is refused, not used.
 */
static int open_persistent_upper(const struct mount_op *m, const char *why, int *ret_upper,
				 int *ret_work)
{
	if (mkdir(m->upper, 0700) < 0 && errno != EEXIST)
		return log_errno(-errno, "%s: cannot create the upper directory %s", why, m->upper);
	_cleanup_close_ int top = open(m->upper, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (top < 0 && (errno == ELOOP || errno == ENOTDIR)) {
		log_error("%s: upper=%s is a symlink or not a directory; refusing it", why,
			  m->upper);
		return -ELOOP;
	}
	if (top < 0)
		return log_errno(-errno, "%s: cannot open the upper directory %s", why, m->upper);
	struct stat st;
	if (fstat(top, &st) < 0)
		return log_errno(-errno, "%s: cannot stat %s", why, m->upper);
	if (st.st_uid != geteuid()) {
		log_error("%s: upper=%s belongs to another user; use a directory of your own", why,
			  m->upper);
		return -EPERM;
	}
	static const char *const names[] = { "upper", "work" };
	int *ret[] = { ret_upper, ret_work };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		int fd = open_layer_dir(top, names[i], true);
		if (fd < 0)
			return log_errno(fd,
					 "%s: cannot use %s/%s (it must be a directory, not a "
					 "symlink)",
					 why, m->upper, names[i]);
		*ret[i] = fd;
	}
	return 0;
}

/*
 * A throw-away upper layer: a fresh tmpfs mounted in the staging area, which
 * only this process can reach and which goes away with the sandbox. The
 * upper directory takes the mode of the lower one, so the merged directory
 * looks like the host's.
 */
static int open_private_upper(struct builder *b, const struct stat *lower, const char *why,
			      int *ret_upper, int *ret_work)
{
	char name[32];
	snprintf(name, sizeof(name), "overlay-%u", b->n_overlays++);
	static const char *const opts[] = { "mode", "0700", NULL };
	_cleanup_close_ int mnt = new_fs("tmpfs", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
	if (mnt < 0)
		return log_errno(mnt, "%s: cannot create the upper layer's tmpfs", why);
	if (mkdirat(b->stage_fd, name, 0700) < 0)
		return log_errno(-errno, "%s: cannot prepare the upper layer", why);
	_cleanup_close_ int at = openat(b->stage_fd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (at < 0 || attach(mnt, at) < 0)
		return log_errno(-errno, "%s: cannot mount the upper layer's tmpfs", why);
	_cleanup_close_ int top = open_layer_dir(b->stage_fd, name, false);
	if (top < 0)
		return log_errno(top, "%s: cannot open the upper layer", why);
	_cleanup_close_ int upper = open_layer_dir(top, "upper", true);
	int work = open_layer_dir(top, "work", true);
	if (upper < 0 || work < 0) {
		if (work >= 0)
			close(work);
		return log_errno(upper < 0 ? upper : work, "%s: cannot prepare the upper layer",
				 why);
	}
	/* Best effort: an owner that is not mapped here cannot be given away. */
	(void)!fchown(upper, lower->st_uid, lower->st_gid);
	if (fchmod(upper, lower->st_mode & 07777) < 0) {
		close(work);
		return log_errno(-errno, "%s: cannot set the upper layer's mode", why);
	}
	*ret_upper = STEAL_FD(upper);
	*ret_work = work;
	return 0;
}

/*
 * overlay DIR[:DEST] [upper=UPPER]: DIR is the read-only lower layer, seen
 * writable at DEST. Layers are handed to overlayfs as file descriptors
 * (Linux 6.13), so no path is looked up again after we checked it. In a user
 * namespace overlayfs keeps its metadata in user.overlay.* xattrs
 * (userxattr); the trusted.* ones need privileges on the host. Submounts of
 * DIR are not part of the lower layer: overlayfs stacks one filesystem.
 */
static int do_overlay(struct builder *b, const struct mount_op *m)
{
	char why[PATH_MAX + 64];
	snprintf(why, sizeof(why), "overlay %s%s", m->src, LOC(m));
	_cleanup_close_ int lower = open(m->src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (lower < 0)
		return log_errno(-errno, "%s: cannot open the lower directory", why);
	struct stat st;
	if (fstat(lower, &st) < 0)
		return log_errno(-errno, "%s: cannot stat the lower directory", why);

	_cleanup_close_ int upper = -1, work = -1;
	int r = m->upper ? open_persistent_upper(m, why, &upper, &work)
			 : open_private_upper(b, &st, why, &upper, &work);
	if (r < 0)
		return r;

	_cleanup_close_ int fs = fsopen("overlay", FSOPEN_CLOEXEC);
	if (fs < 0)
		return log_errno(-errno, "%s: overlayfs is not available", why);
	if (fsconfig(fs, FSCONFIG_SET_FD, "lowerdir+", NULL, lower) < 0)
		return log_errno(-errno, "%s: cannot use it as the lower layer", why);
	if (fsconfig(fs, FSCONFIG_SET_FD, "upperdir", NULL, upper) < 0)
		return log_errno(-errno, "%s: cannot use the upper directory", why);
	if (fsconfig(fs, FSCONFIG_SET_FD, "workdir", NULL, work) < 0)
		return log_errno(-errno, "%s: cannot use the work directory", why);
	if (fsconfig(fs, FSCONFIG_SET_FLAG, "userxattr", NULL, 0) < 0)
		return log_errno(-errno, "%s: overlayfs does not take userxattr", why);
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return log_errno(-errno,
				 "%s: cannot create the overlay (the upper layer's "
				 "filesystem needs user xattrs)",
				 why);
	_cleanup_close_ int mnt =
		fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
	if (mnt < 0)
		return log_errno(-errno, "%s: cannot mount the overlay", why);
	_cleanup_close_ int dest = open_dest(b->root_fd, m->dest, DEST_DIR, why);
	if (dest < 0)
		return dest;
	if (attach(mnt, dest) < 0)
		return log_errno(-errno, "%s: cannot mount it at %s", why, m->dest);
	return 0;
}

static int run_op(struct builder *b, const struct mount_op *m)
{
	switch (m->kind) {
	case MOUNT_BIND:
	case MOUNT_RO_BIND:
	case MOUNT_DEV_BIND:
		return do_bind(b, m);
	case MOUNT_TMPFS:
		return do_tmpfs(b, m);
	case MOUNT_PROC:
		return do_proc(b, m);
	case MOUNT_DEV:
		return do_dev(b, m);
	case MOUNT_MQUEUE:
		return do_simple_fs(b, m, "mqueue");
	case MOUNT_DIR:
		return do_dir(b, m);
	case MOUNT_SYMLINK:
		return do_symlink(b, m);
	case MOUNT_FILE:
		return do_file(b, m);
	case MOUNT_REMOUNT_RO:
		return do_remount_ro(b, m);
	case MOUNT_CHMOD:
		return do_chmod(b, m);
	case MOUNT_OVERLAY:
		return do_overlay(b, m);
	}
	return -EINVAL;
}

/* Is @path equal to @dir or beneath it? Returns the rest ("" or "/x/y"), or NULL. */
static const char *path_under(const char *path, const char *dir)
{
	if (streq(dir, "/"))
		return path;
	const char *rest = startswith(path, dir);
	if (rest && (*rest == '\0' || *rest == '/'))
		return rest;
	return NULL;
}

/*
 * Make every place where a protected host directory shows up writable inside
 * read-only: a writable bind of it, of a directory above it, or of something
 * beneath it. Runs after the whole plan so no later operation can undo it.
 */
static int protect_dirs(struct builder *b, char *const *protect)
{
	for (size_t i = 0; protect && protect[i]; i++) {
		for (size_t k = 0; k < b->c->n_mounts; k++) {
			const struct mount_op *m = &b->c->mounts[k];
			if (m->kind != MOUNT_BIND && m->kind != MOUNT_DEV_BIND)
				continue;
			_cleanup_free_ char *dest = NULL;
			const char *rest;
			if ((rest = path_under(protect[i], m->src)))
				dest = xasprintf("%s%s", streq(m->dest, "/") ? "" : m->dest, rest);
			else if (path_under(m->src, protect[i]))
				dest = xstrdup(m->dest);
			else
				continue;
			if (!*dest) {
				free(dest);
				dest = xstrdup("/");
			}
			_cleanup_close_ int fd = open_dest(b->root_fd, dest, DEST_ANY,
							   "protecting the profile directories");
			if (fd == -ENOENT)
				continue;
			if (fd < 0)
				return fd;
			int r = make_readonly(fd, "", true);
			if (r < 0)
				return log_errno(r, "cannot make %s read-only inside", dest);
		}
	}
	return 0;
}

/*
 * Stack the staging tmpfs on "/" itself. The process's root stays the host's
 * root dentry, so every absolute path (a bind source, /dev/null) still
 * resolves in the host's tree: nothing of the host is covered, and a source
 * under /tmp is found, not shadowed. The stage is reached through its fd only.
 */
static int open_stage(struct builder *b)
{
	static const char *const opts[] = { "mode", "0700", NULL };
	_cleanup_close_ int mnt = new_fs("tmpfs", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
	if (mnt < 0)
		return log_errno(mnt, "cannot create the staging tmpfs");
	if (move_mount(mnt, "", AT_FDCWD, "/", MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return log_errno(-errno, "cannot mount the staging tmpfs");
	b->stage_fd = STEAL_FD(mnt);
	if (mkdirat(b->stage_fd, "root", 0755) < 0 || mkdirat(b->stage_fd, "files", 0700) < 0)
		return log_errno(-errno, "cannot prepare the staging tmpfs");
	b->files_fd = openat(b->stage_fd, "files", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (b->files_fd < 0)
		return log_errno(-errno, "cannot open the staging tmpfs");
	return 0;
}

static int open_root(struct builder *b)
{
	_cleanup_close_ int tree = -1;
	if (b->c->rootfs) {
		tree = open_tree(AT_FDCWD, b->c->rootfs,
				 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
		if (tree < 0)
			return log_errno(-errno, "rootfs %s: cannot bind it", b->c->rootfs);
		if (set_attr(tree, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, true) < 0)
			return log_errno(-errno, "rootfs %s: cannot set mount flags", b->c->rootfs);
	} else {
		static const char *const opts[] = { "mode", "0755", NULL };
		tree = new_fs("tmpfs", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
		if (tree < 0)
			return log_errno(tree, "cannot create the root tmpfs");
	}
	_cleanup_close_ int dir = openat(b->stage_fd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0 || attach(tree, dir) < 0)
		return log_errno(-errno, "cannot mount the new root");
	/* reopen so the fd names the mounted root, not the directory under it */
	b->root_fd = openat(b->stage_fd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	return b->root_fd < 0 ? log_errno(-errno, "cannot open the new root") : 0;
}

static int enter_root(struct builder *b)
{
	if (fchdir(b->root_fd) < 0)
		return log_errno(-errno, "cannot enter the new root");
	/* new_root == put_old: the old root ends up stacked on the new one at
	 * "/" (pivot_root(2)), with the staging tmpfs stacked on top of it.
	 * Each lazy unmount of "." detaches the topmost: first the stage, then
	 * the host's root with every mount beneath it. Leaving the second one
	 * would keep the whole host tree attached in the sandbox's namespace,
	 * listed in its mountinfo and under the root a setns() lands on. */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return log_errno(-errno, "pivot_root");
	for (int i = 0; i < 2; i++)
		if (umount2(".", MNT_DETACH) < 0)
			return log_errno(-errno, "cannot detach the old root");
	if (chdir("/") < 0)
		return log_errno(-errno, "chdir /");
	return 0;
}

int mount_build_root(const struct mount_request *req)
{
	struct builder b = { .c = req->config, .stage_fd = -1, .files_fd = -1, .root_fd = -1 };
	int r;

	/* Our mount namespace starts as a copy of the host's; make the copies
	 * slaves so nothing we mount propagates back, while the host's unmounts
	 * still reach us. */
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		return log_errno(-errno, "cannot make the mounts private");

	if ((r = open_stage(&b)) < 0 || (r = open_root(&b)) < 0)
		goto out;
	for (size_t i = 0; i < b.c->n_mounts; i++)
		if ((r = run_op(&b, &b.c->mounts[i])) < 0)
			goto out;
	if ((r = protect_dirs(&b, req->protect)) < 0)
		goto out;
	/* The empty root itself is not for writing: a build that writes to
	 * /foo should fail as it would on the host, not fill memory. */
	if (!b.c->rootfs && set_attr(b.root_fd, MOUNT_ATTR_RDONLY, false) < 0) {
		r = log_errno(-errno, "cannot make the new root read-only");
		goto out;
	}
	r = enter_root(&b);
out:
	if (b.files_fd >= 0)
		close(b.files_fd);
	if (b.stage_fd >= 0)
		close(b.stage_fd);
	if (b.root_fd >= 0)
		close(b.root_fd);
	return r;
}
