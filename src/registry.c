/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * registry.c - running sandboxes (DESIGN.md §7): the entries the outer
 * process writes, `sandbox list`, `sandbox enter`, --info-fd and
 * --json-status-fd.
 *
 * An entry is a small text file in a private directory of the user (0700,
 * owned by the user, reached without following symlinks), one per named
 * sandbox, written only by the outer process, outside the sandbox. That
 * process holds an exclusive flock on it for its whole life: whoever can take
 * the lock has found a stale entry (the process died, even by SIGKILL) and
 * removes it. The directory is among the protected ones that stay read-only
 * inside every sandbox.
 *
 * The entry is only a pointer: `enter` trusts it for the filter and the
 * environment rules (which only the user's own outer process can have
 * written), never for the identity of the target. That comes from /proc
 * through a pidfd: the process must be the user's, started at the recorded
 * time, in a user namespace other than ours, with the recorded namespace ids.
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "caps.h"
#include "filter.h"
#include "init.h"
#include "profile.h"
#include "registry.h"
#include "run.h"

#define EXIT_SETUP	 125
#define EXIT_CANNOT_EXEC 126
#define EXIT_NOT_FOUND	 127

static const char *const ns_names[_REG_NS_COUNT] = {
	[REG_NS_USER] = "user",	    [REG_NS_MNT] = "mnt", [REG_NS_PID] = "pid",
	[REG_NS_NET] = "net",	    [REG_NS_IPC] = "ipc", [REG_NS_UTS] = "uts",
	[REG_NS_CGROUP] = "cgroup",
};

static const int ns_flags[_REG_NS_COUNT] = {
	[REG_NS_USER] = CLONE_NEWUSER,	   [REG_NS_MNT] = CLONE_NEWNS,	[REG_NS_PID] = CLONE_NEWPID,
	[REG_NS_NET] = CLONE_NEWNET,	   [REG_NS_IPC] = CLONE_NEWIPC, [REG_NS_UTS] = CLONE_NEWUTS,
	[REG_NS_CGROUP] = CLONE_NEWCGROUP,
};

/* An entry as read back from its file. */
struct entry {
	char *name;
	pid_t pid;
	unsigned long long start; /* field 22 of /proc/PID/stat, clock ticks after boot */
	uint64_t ns[_REG_NS_COUNT];
	uid_t payload_uid;
	gid_t payload_gid;
	bool can_setgroups;
	char **profile_names;
	char **argv;
	char *profile; /* the effective profile, as --print-profile prints it */
};

static void entry_free(struct entry *e)
{
	free(e->name);
	strv_free(e->profile_names);
	strv_free(e->argv);
	free(e->profile);
	*e = (struct entry){ 0 };
}

/* ---- the directory ------------------------------------------------------ */

static const char *home_dir(void)
{
	const char *home = getenv("HOME");
	if (home && *home == '/')
		return home;
	struct passwd *pw = getpwuid(getuid());
	return pw && pw->pw_dir && *pw->pw_dir == '/' ? pw->pw_dir : NULL;
}

/* Split the registry path into a base we trust as given and the part below it we walk. */
static int dir_parts(char **ret_base, const char **ret_rest)
{
	const char *rt = getenv("XDG_RUNTIME_DIR");
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = home_dir();
	if (rt && *rt == '/') {
		*ret_base = xstrdup(rt);
		*ret_rest = "sandbox";
	} else if (state && *state == '/') {
		*ret_base = xstrdup(state);
		*ret_rest = "sandbox/run";
	} else if (home) {
		*ret_base = xstrdup(home);
		*ret_rest = ".local/state/sandbox/run";
	} else {
		return -ENOENT;
	}
	return 0;
}

char *registry_dir_path(void)
{
	char *base;
	const char *rest;
	if (dir_parts(&base, &rest) < 0)
		return NULL;
	char *path = xasprintf("%s/%s", base, rest);
	free(base);
	return path;
}

/*
 * Open the registry directory: below the base, every component is opened
 * without following symlinks and, with @create, made 0700 when missing. The
 * last one must be ours and closed to everyone else. Returns the fd, -ENOENT
 * when it does not exist (and !@create), or -errno (logged).
 */
static int open_registry_dir(bool create)
{
	_cleanup_free_ char *base = NULL;
	const char *rest;
	if (dir_parts(&base, &rest) < 0) {
		log_error("cannot find a directory for running sandboxes: set XDG_RUNTIME_DIR or "
			  "HOME");
		return -ENOENT;
	}
	_cleanup_close_ int fd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT && !create)
			return -ENOENT;
		return log_errno(-errno, "cannot open %s", base);
	}
	_cleanup_free_ char *parts = xstrdup(rest);
	char *save = NULL;
	for (char *p = strtok_r(parts, "/", &save); p; p = strtok_r(NULL, "/", &save)) {
		int next = openat(fd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && errno == ENOENT && create) {
			if (mkdirat(fd, p, 0700) < 0 && errno != EEXIST)
				return log_errno(-errno, "cannot create %s/%s", base, rest);
			next = openat(fd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		if (next < 0) {
			if (errno == ENOENT && !create)
				return -ENOENT;
			return log_errno(-errno,
					 "cannot open %s/%s (no component may be a symlink)", base,
					 rest);
		}
		close(fd);
		fd = next;
	}
	struct stat st;
	if (fstat(fd, &st) < 0)
		return log_errno(-errno, "cannot stat %s/%s", base, rest);
	if (st.st_uid != getuid() || (st.st_mode & 077)) {
		log_error("%s/%s must belong to you and be closed to others (chmod 700 it)", base,
			  rest);
		return -EPERM;
	}
	return STEAL_FD(fd);
}

/* ---- /proc -------------------------------------------------------------- */

static int read_ns_ids(pid_t pid, uint64_t ret[_REG_NS_COUNT])
{
	for (int k = 0; k < _REG_NS_COUNT; k++) {
		char path[64];
		struct stat st;
		if (pid)
			snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns_names[k]);
		else
			snprintf(path, sizeof(path), "/proc/self/ns/%s", ns_names[k]);
		if (stat(path, &st) < 0)
			return -errno;
		ret[k] = (uint64_t)st.st_ino;
	}
	return 0;
}

/* The start time of @pid (clock ticks after boot), from /proc/PID/stat. */
static int read_start_time(pid_t pid, unsigned long long *ret)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	_cleanup_free_ char *text = NULL;
	int r = read_file(path, &text);
	if (r < 0)
		return r;
	/* The command name may hold spaces and parentheses: fields start after the last ')'. */
	char *p = strrchr(text, ')');
	if (!p)
		return -EINVAL;
	p++;
	for (int field = 3; field < 22; field++) {
		p += strspn(p, " ");
		p += strcspn(p, " ");
	}
	char *end;
	errno = 0;
	*ret = strtoull(p, &end, 10);
	return errno || end == p ? -EINVAL : 0;
}

static double uptime_of(unsigned long long start)
{
	_cleanup_free_ char *text = NULL;
	if (read_file("/proc/uptime", &text) < 0)
		return 0;
	double up = strtod(text, NULL) - (double)start / (double)sysconf(_SC_CLK_TCK);
	return up > 0 ? up : 0;
}

/* ---- entries ------------------------------------------------------------ */

static void put_escaped(FILE *f, const char *key, const char *s)
{
	fprintf(f, "%s ", key);
	for (; *s; s++) {
		if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '\\')
			fputs("\\\\", f);
		else
			fputc(*s, f);
	}
	fputc('\n', f);
}

static char *unescape(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;
	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			*o++ = *s == 'n' ? '\n' : *s;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

static char *entry_text(const struct registry_run *r, unsigned long long start)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		abort();
	fprintf(f, "version 1\npid %d\nstart %llu\npayload-uid %u\npayload-gid %u\nsetgroups %d\n",
		(int)r->pid1, start, (unsigned)r->payload_uid, (unsigned)r->payload_gid,
		r->can_setgroups);
	for (int k = 0; k < _REG_NS_COUNT; k++)
		fprintf(f, "ns %s %llu\n", ns_names[k], (unsigned long long)r->ns[k]);
	for (char **p = r->config->profile_names; p && *p; p++)
		put_escaped(f, "profile-name", *p);
	for (char **p = r->config->argv; p && *p; p++)
		put_escaped(f, "arg", *p);
	fputs("profile\n", f);
	/* Without the command, kept above already: a comment line cannot hold
	 * an argument with a newline in it. */
	struct sandbox_config without_argv = *r->config;
	without_argv.argv = NULL;
	directive_print_config(&without_argv, f);
	fclose(f);
	return text;
}

/* Parse an entry; -EINVAL when it is not one (cut short, or not ours). */
static int entry_parse(char *text, struct entry *e)
{
	unsigned seen = 0;
	char *line = text;
	while (line && *line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		char *val = strchr(line, ' ');
		if (val)
			*val++ = '\0';
		unsigned long long v = 0;
		if (val && !streq(line, "arg") && !streq(line, "profile-name") &&
		    !streq(line, "ns"))
			v = strtoull(val, NULL, 10);
		if (streq(line, "profile") && !val) {
			e->profile = xstrdup(nl ? nl + 1 : "");
			seen |= 1u << 9;
			break;
		} else if (!val) {
			return -EINVAL;
		} else if (streq(line, "version") && v != 1) {
			return -EINVAL;
		} else if (streq(line, "pid")) {
			e->pid = (pid_t)v;
			seen |= 1;
		} else if (streq(line, "start")) {
			e->start = v;
			seen |= 2;
		} else if (streq(line, "payload-uid")) {
			e->payload_uid = (uid_t)v;
		} else if (streq(line, "payload-gid")) {
			e->payload_gid = (gid_t)v;
		} else if (streq(line, "setgroups")) {
			e->can_setgroups = v != 0;
		} else if (streq(line, "ns")) {
			char *id = strchr(val, ' ');
			if (!id)
				return -EINVAL;
			*id++ = '\0';
			for (int k = 0; k < _REG_NS_COUNT; k++)
				if (streq(val, ns_names[k])) {
					e->ns[k] = strtoull(id, NULL, 10);
					seen |= 1u << (k + 2);
				}
		} else if (streq(line, "profile-name")) {
			strv_push(&e->profile_names, unescape(val));
		} else if (streq(line, "arg")) {
			strv_push(&e->argv, unescape(val));
		}
		line = nl ? nl + 1 : NULL;
	}
	/* pid, start, every namespace and the profile */
	return (seen & 0x3ffu) == 0x3ffu && e->pid > 0 ? 0 : -EINVAL;
}

static int read_fd(int fd, char **ret)
{
	size_t cap = 4096, len = 0;
	_cleanup_free_ char *buf = xmalloc(cap);
	for (;;) {
		if (len + 1 >= cap)
			buf = xrealloc(buf, cap *= 2);
		ssize_t n = pread(fd, buf + len, cap - len - 1, (off_t)len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*ret = STEAL_PTR(buf);
	return 0;
}

/* Is @fd still the file called @name in @dirfd (not unlinked or replaced)? */
static bool still_named(int dirfd, const char *name, int fd)
{
	struct stat a, b;
	return fstat(fd, &a) == 0 && fstatat(dirfd, name, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/*
 * Open the entry @name and find out whether it is live. Returns 1 and sets
 * *@ret_fd for a live one, 0 when there is none (a stale one is removed
 * here), or -errno.
 */
static int open_live_entry(int dirfd, const char *name, int *ret_fd)
{
	_cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		/* Nobody holds it: its sandbox is gone. */
		if (still_named(dirfd, name, fd))
			unlinkat(dirfd, name, 0);
		return 0;
	}
	if (errno != EWOULDBLOCK)
		return -errno;
	*ret_fd = STEAL_FD(fd);
	return 1;
}

/* Read the live entry @name; 1 when found, 0 when none, -errno. */
static int entry_load(int dirfd, const char *name, struct entry *e)
{
	_cleanup_close_ int fd = -1;
	int r = open_live_entry(dirfd, name, &fd);
	if (r <= 0)
		return r;
	_cleanup_free_ char *text = NULL;
	if ((r = read_fd(fd, &text)) < 0)
		return r;
	if (entry_parse(text, e) < 0) {
		/* Locked but not (yet) complete: a sandbox that is still starting. */
		entry_free(e);
		return 0;
	}
	e->name = xstrdup(name);
	return 1;
}

/* Call @fn for every live entry, removing the stale ones on the way. */
static int for_each_entry(int dirfd, int (*fn)(struct entry *e, void *data), void *data)
{
	int dup_fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	if (dup_fd < 0)
		return log_errno(-errno, "dup");
	DIR *d = fdopendir(dup_fd);
	if (!d) {
		close(dup_fd);
		return log_errno(-errno, "cannot read the registry directory");
	}
	int r = 0;
	struct dirent *de;
	while (r == 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		struct entry e = { 0 };
		if (entry_load(dirfd, de->d_name, &e) == 1)
			r = fn(&e, data);
		entry_free(&e);
	}
	closedir(d);
	return r;
}

/* ---- the outer process -------------------------------------------------- */

int registry_claim(const struct sandbox_config *c, struct registry_run *ret)
{
	*ret = (struct registry_run){ .config = c, .dir_fd = -1, .entry_fd = -1 };
	if (!c->name)
		return 0;
	_cleanup_close_ int dirfd = open_registry_dir(true);
	if (dirfd < 0)
		return dirfd;
	/* A few tries: someone may hold a stale entry's lock for a moment while
	 * removing it, or we may have opened a file that was just removed. */
	for (int attempt = 0; attempt < 20; attempt++) {
		_cleanup_close_ int fd =
			openat(dirfd, c->name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0)
			return log_errno(-errno, "cannot create the entry for '%s'", c->name);
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			if (errno != EWOULDBLOCK)
				return log_errno(-errno, "cannot lock the entry for '%s'", c->name);
			struct timespec ts = { .tv_nsec = 10 * 1000 * 1000 };
			nanosleep(&ts, NULL);
			continue;
		}
		if (!still_named(dirfd, c->name, fd))
			continue;
		if (ftruncate(fd, 0) < 0)
			return log_errno(-errno, "cannot clear the entry for '%s'", c->name);
		ret->entry_fd = STEAL_FD(fd);
		ret->dir_fd = STEAL_FD(dirfd);
		return 0;
	}
	log_error("a sandbox named '%s' is already running (see sandbox list); choose another "
		  "--name",
		  c->name);
	return -EEXIST;
}

void registry_close_inherited(const struct registry_run *r)
{
	if (!r)
		return;
	if (r->entry_fd >= 0)
		close(r->entry_fd);
	if (r->dir_fd >= 0)
		close(r->dir_fd);
	if (r->config->info_fd >= 0)
		close(r->config->info_fd);
	if (r->config->json_status_fd >= 0)
		close(r->config->json_status_fd);
}

static void print_ns_object(FILE *f, const uint64_t ns[_REG_NS_COUNT])
{
	fputc('{', f);
	for (int k = 0; k < _REG_NS_COUNT; k++)
		fprintf(f, "%s\"%s\": %llu", k ? ", " : "", ns_names[k], (unsigned long long)ns[k]);
	fputc('}', f);
}

/* Write @text to the caller's descriptor @fd; a closed pipe is not our failure. */
static void write_report(int fd, const char *what, const char *text)
{
	int r = write_all(fd, text, strlen(text));
	if (r < 0 && r != -EPIPE)
		log_errno(r, "cannot write to %s", what);
}

static char *started_json(const struct registry_run *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		abort();
	fprintf(f, "{\"pid\": %d, \"namespaces\": ", (int)r->pid1);
	print_ns_object(f, r->ns);
	fputs("}\n", f);
	fclose(f);
	return text;
}

int registry_started(struct registry_run *r, pid_t pid1)
{
	const struct sandbox_config *c = r->config;
	r->pid1 = pid1;
	if (r->entry_fd < 0 && c->info_fd < 0 && c->json_status_fd < 0)
		return 0; /* nobody asked */
	int err = read_ns_ids(pid1, r->ns);
	if (err < 0)
		return log_errno(err, "cannot read the namespaces of the sandbox (pid %d)",
				 (int)pid1);

	_cleanup_free_ char *json = started_json(r);
	if (c->info_fd >= 0) {
		/* SIGPIPE is not blocked here: a reader that went away must not kill us. */
		signal(SIGPIPE, SIG_IGN);
		write_report(c->info_fd, "--info-fd", json);
		close(c->info_fd);
	}
	if (c->json_status_fd >= 0) {
		signal(SIGPIPE, SIG_IGN);
		write_report(c->json_status_fd, "--json-status-fd", json);
	}

	if (r->entry_fd < 0)
		return 0;
	unsigned long long start;
	if ((err = read_start_time(pid1, &start)) < 0)
		return log_errno(err, "cannot read the start time of the sandbox (pid %d)",
				 (int)pid1);
	_cleanup_free_ char *text = entry_text(r, start);
	if (pwrite(r->entry_fd, text, strlen(text), 0) != (ssize_t)strlen(text))
		return log_errno(-errno, "cannot write the entry for '%s'", c->name);
	return 0;
}

void registry_finished(struct registry_run *r, int code)
{
	int fd = r->config->json_status_fd;
	if (fd < 0)
		return;
	/* Every process of the chain passes a signal death on as 128+N. */
	char line[80];
	if (code > 128 && code < 128 + NSIG)
		snprintf(line, sizeof(line), "{\"exit-code\": %d, \"signal\": %d}\n", code,
			 code - 128);
	else
		snprintf(line, sizeof(line), "{\"exit-code\": %d}\n", code);
	write_report(fd, "--json-status-fd", line);
	close(fd);
}

void registry_release(struct registry_run *r)
{
	if (r->entry_fd >= 0) {
		/* Removed while still locked, so nobody takes over a file that is going away. */
		if (still_named(r->dir_fd, r->config->name, r->entry_fd))
			unlinkat(r->dir_fd, r->config->name, 0);
		close(r->entry_fd);
	}
	if (r->dir_fd >= 0)
		close(r->dir_fd);
	r->entry_fd = r->dir_fd = -1;
}

/* ---- sandbox list ------------------------------------------------------- */

struct list_ctx {
	FILE *f;
	bool json;
	unsigned n;
};

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void json_strv(FILE *f, char **v)
{
	fputc('[', f);
	for (size_t i = 0; v && v[i]; i++) {
		if (i)
			fputs(", ", f);
		json_string(f, v[i]);
	}
	fputc(']', f);
}

static void print_joined(FILE *f, char **v, const char *sep)
{
	for (size_t i = 0; v && v[i]; i++)
		fprintf(f, "%s%s", i ? sep : "", v[i]);
}

static int list_one(struct entry *e, void *data)
{
	struct list_ctx *l = data;
	unsigned long long start;
	uint64_t ns[_REG_NS_COUNT];
	/* Read live: a process that is not the registered one any more is skipped. */
	if (read_start_time(e->pid, &start) < 0 || start != e->start || read_ns_ids(e->pid, ns) < 0)
		return 0;
	double up = uptime_of(start);
	if (l->json) {
		fprintf(l->f, "%s\n  {\"name\": ", l->n ? "," : "");
		json_string(l->f, e->name);
		fprintf(l->f, ", \"pid\": %d, \"uptime\": %.0f, \"profiles\": ", (int)e->pid, up);
		json_strv(l->f, e->profile_names);
		fputs(", \"command\": ", l->f);
		json_strv(l->f, e->argv);
		fputs(", \"namespaces\": ", l->f);
		print_ns_object(l->f, ns);
		fputc('}', l->f);
	} else {
		fprintf(l->f, "%-16s %-8d %-8.0f", e->name, (int)e->pid, up);
		for (int k = 0; k < _REG_NS_COUNT; k++)
			fprintf(l->f, " %-10llu", (unsigned long long)ns[k]);
		fputc(' ', l->f);
		print_joined(l->f, e->profile_names, ",");
		fputc(' ', l->f);
		print_joined(l->f, e->argv, " ");
		fputc('\n', l->f);
	}
	l->n++;
	return 0;
}

int registry_list(FILE *f, bool json)
{
	struct list_ctx l = { .f = f, .json = json };
	if (json)
		fputc('[', f);
	else
		fprintf(f, "%-16s %-8s %-8s %-10s %-10s %-10s %-10s %-10s %-10s %-10s %s %s\n",
			"NAME", "PID", "UPTIME", "USER", "MNT", "PIDNS", "NET", "IPC", "UTS",
			"CGROUP", "PROFILES", "COMMAND");
	_cleanup_close_ int dirfd = open_registry_dir(false);
	if (dirfd < 0 && dirfd != -ENOENT)
		return dirfd;
	int r = dirfd >= 0 ? for_each_entry(dirfd, list_one, &l) : 0;
	if (json)
		fputs(l.n ? "\n]\n" : "]\n", f);
	return r;
}

/* ---- sandbox enter ------------------------------------------------------ */

static bool all_digits(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

/* The process must exist and be ours; the message names it as the user did. */
static int check_owner(pid_t pid)
{
	char path[32];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if (stat(path, &st) < 0) {
		log_error("enter: no process %d (see sandbox list)", (int)pid);
		return -ESRCH;
	}
	if (st.st_uid != getuid()) {
		log_error("enter: process %d is not yours", (int)pid);
		return -EPERM;
	}
	return 0;
}

struct find_pid {
	pid_t pid;
	struct entry *found;
};

static int match_pid(struct entry *e, void *data)
{
	struct find_pid *fp = data;
	if (e->pid != fp->pid)
		return 0;
	*fp->found = *e;
	*e = (struct entry){ 0 };
	return 1;
}

/* Find the live entry of @target, a name or a pid. 0 or -errno (logged). */
static int find_target(const char *target, struct entry *ret)
{
	bool by_pid = all_digits(target);
	bool name_ok = *target && *target != '.' && !strchr(target, '/') && strlen(target) <= 64;
	if (!by_pid && !name_ok) {
		log_error("enter: '%s' is neither a sandbox name nor a pid", target);
		return -EINVAL;
	}
	_cleanup_close_ int dirfd = open_registry_dir(false);
	if (dirfd < 0 && dirfd != -ENOENT)
		return dirfd;
	if (dirfd >= 0 && name_ok && entry_load(dirfd, target, ret) == 1)
		return 0;
	if (!by_pid) {
		log_error("enter: no running sandbox named '%s' (see sandbox list)", target);
		return -ENOENT;
	}
	pid_t pid = (pid_t)strtol(target, NULL, 10);
	int r = check_owner(pid);
	if (r < 0)
		return r;
	struct find_pid fp = { .pid = pid, .found = ret };
	if (dirfd < 0 || for_each_entry(dirfd, match_pid, &fp) != 1) {
		log_error("enter: process %d is not a running named sandbox (see sandbox list)",
			  (int)pid);
		return -ESRCH;
	}
	return 0;
}

/*
 * Check, after the pidfd is open, that its process is the registered one:
 * ours, started at the recorded time (so not a recycled pid), in a user
 * namespace of its own, in the recorded namespaces. 0 or -errno (logged).
 */
static int verify_target(const struct entry *e)
{
	int r = check_owner(e->pid);
	if (r < 0)
		return r;
	unsigned long long start;
	uint64_t ns[_REG_NS_COUNT], self[_REG_NS_COUNT];
	if (read_start_time(e->pid, &start) < 0 || start != e->start ||
	    read_ns_ids(e->pid, ns) < 0) {
		log_error("enter: sandbox '%s' is gone (see sandbox list)", e->name);
		return -ESRCH;
	}
	if ((r = read_ns_ids(0, self)) < 0)
		return log_errno(r, "enter: cannot read our own namespaces");
	if (ns[REG_NS_USER] == self[REG_NS_USER]) {
		log_error("enter: process %d is not a sandbox: it shares your user namespace",
			  (int)e->pid);
		return -EPERM;
	}
	for (int k = 0; k < _REG_NS_COUNT; k++)
		if (ns[k] != e->ns[k]) {
			log_error(
				"enter: process %d is not in the namespaces recorded for '%s' (%s "
				"namespace differs)",
				(int)e->pid, e->name, ns_names[k]);
			return -EPERM;
		}
	return 0;
}

/* The namespaces of the target that are not ours already (shared ones cannot be re-joined). */
static int join_flags(const struct entry *e)
{
	uint64_t self[_REG_NS_COUNT];
	if (read_ns_ids(0, self) < 0)
		return -1;
	int flags = 0;
	for (int k = 0; k < _REG_NS_COUNT; k++)
		if (e->ns[k] != self[k])
			flags |= ns_flags[k];
	return flags;
}

struct enter_state {
	const struct sandbox_config *c;
	const struct entry *e;
	const struct filter_program *prog;
	char *const *argv;
};

/* The entered command's process: the payload's steps, in the payload's order (run.c). */
static int enter_child_steps(const struct enter_state *s)
{
	const struct sandbox_config *c = s->c;
	if (c->new_session && setsid() < 0)
		return log_errno(-errno, "enter: setsid");
	for (size_t i = 0; i < c->n_rlimits; i++) {
		struct rlimit rl = { .rlim_cur = c->rlimits[i].soft,
				     .rlim_max = c->rlimits[i].hard };
		if (setrlimit(c->rlimits[i].resource, &rl) < 0)
			return log_errno(-errno, "enter: cannot set resource limit %d",
					 c->rlimits[i].resource);
	}
	/* Joining the mount namespace put us at its root; the sandbox's chdir, else /. */
	const char *dir = c->chdir ? c->chdir : "/";
	if (chdir(dir) < 0)
		return log_errno(-errno, "enter: chdir %s: cannot enter it inside the sandbox",
				 dir);
	int r = run_environment(c);
	if (r < 0)
		return r;
	if (close_range(3, UINT_MAX, CLOSE_RANGE_CLOEXEC) < 0)
		return log_errno(-errno, "enter: cannot close inherited file descriptors");
	sigset_t none;
	sigemptyset(&none);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigprocmask(SIG_SETMASK, &none, NULL);
	struct caps_target t = {
		.uid = s->e->payload_uid,
		.gid = s->e->payload_gid,
		.keep = c->cap_keep,
		.can_setgroups = s->e->can_setgroups,
	};
	if ((r = caps_become(&t)) < 0)
		return r;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return log_errno(-errno, "enter: cannot set no_new_privs");
	/* last, as in the payload: the filter may forbid every call above */
	return filter_load(s->prog);
}

static _noreturn_ void enter_child(const struct enter_state *s)
{
	if (enter_child_steps(s) < 0)
		_exit(EXIT_SETUP);
	execvp(s->argv[0], s->argv);
	int e = errno;
	if (e == ENOENT)
		log_error("cannot run '%s': command not found inside the sandbox", s->argv[0]);
	else
		log_errno(-e, "cannot run '%s'", s->argv[0]);
	_exit(e == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC);
}

/* Rebuild the sandbox's config from the profile its outer process recorded. */
static int load_recorded_config(const struct entry *e, struct sandbox_config *c)
{
	FILE *f = fmemopen(e->profile, strlen(e->profile), "r");
	if (!f)
		return log_errno(-errno, "fmemopen");
	_cleanup_free_ char *what = xasprintf("the recorded profile of '%s'", e->name);
	int r = profile_load_stream(c, f, what);
	fclose(f);
	return r;
}

int registry_enter(const char *target, char *const *argv)
{
	struct entry e = { 0 };
	int r = find_target(target, &e);
	if (r < 0)
		return r;

	struct sandbox_config c;
	struct filter_program prog = { 0 };
	config_init(&c);
	int pidfd = -1;
	_cleanup_close_ int rootfd = -1;
	r = load_recorded_config(&e, &c);
	if (r == 0)
		r = filter_compile(&c, &prog);
	if (r == 0) {
		pidfd = (int)syscall(SYS_pidfd_open, e.pid, 0);
		if (pidfd < 0) {
			r = -errno;
			log_errno(r, "enter: cannot open process %d", (int)e.pid);
		}
	}
	if (r == 0) {
		/* Its root: joining the mount namespace alone lands at the root the
		 * namespace started with, not at the one PID 1 pivoted into. */
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/root", (int)e.pid);
		rootfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (rootfd < 0) {
			r = -errno;
			log_errno(r, "enter: cannot open the root of process %d", (int)e.pid);
		}
	}
	/* Only after the pidfd exists: what it points at is what we check now. */
	if (r == 0)
		r = verify_target(&e);

	sigset_t set, old;
	init_signal_set(&set);
	sigprocmask(SIG_BLOCK, &set, &old);
	if (r == 0) {
		int flags = join_flags(&e);
		/* All at once, the user namespace first (the kernel's order), since 5.8. */
		if (flags < 0 || setns(pidfd, flags) < 0) {
			r = -errno;
			log_errno(r, "enter: cannot join the namespaces of '%s'", e.name);
		} else if (fchdir(rootfd) < 0 || chroot(".") < 0) {
			/* allowed: we hold every capability in its user namespace now */
			r = -errno;
			log_errno(r, "enter: cannot enter the root of '%s'", e.name);
		}
	}
	if (r == 0) {
		/* After the pid namespace: only a child of ours is inside it. */
		pid_t child = fork();
		if (child < 0) {
			r = -errno;
			log_errno(r, "enter: cannot start the command: fork");
		} else if (child == 0) {
			struct enter_state s = { .c = &c, .e = &e, .prog = &prog, .argv = argv };
			enter_child(&s);
		} else {
			close(pidfd);
			pidfd = -1;
			r = init_supervise(child, child, false);
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pidfd >= 0)
		close(pidfd);
	filter_program_free(&prog);
	config_free(&c);
	entry_free(&e);
	return r;
}
