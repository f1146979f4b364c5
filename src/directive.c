/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * directive.c - the table of directives, and the code that turns their words
 * into struct sandbox_config and prints a config back as a profile.
 *
 * Pure: no syscalls beyond getcwd() (to make relative bind sources absolute)
 * and libcap's name lookup. Every error names the word it is about and what
 * was expected, through log_at().
 *
 * Merging (DESIGN.md §4): mount operations, environment edits and syscall
 * rules append in order; every single-valued key is overwritten, so the last
 * word wins.
 */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>

#include "directive.h"
#include "filter.h"
#include "profile.h"

#define ANY UINT_MAX

/* --- small value parsers (exported for the tests) ---------------------- */

int parse_bool_word(const char *s, bool *ret)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (streq(s, yes[i])) {
			*ret = true;
			return 0;
		}
		if (streq(s, no[i])) {
			*ret = false;
			return 0;
		}
	}
	return -EINVAL;
}

int parse_size_word(const char *s, uint64_t *ret)
{
	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	unsigned shift = 0;
	switch (toupper((unsigned char)*end)) {
	case '\0':
		break;
	case 'K':
		shift = 10;
		break;
	case 'M':
		shift = 20;
		break;
	case 'G':
		shift = 30;
		break;
	case 'T':
		shift = 40;
		break;
	default:
		return -EINVAL;
	}
	if (*end) {
		end++;
		/* accept 64M, 64MB, 64MiB */
		if (*end == 'i' || *end == 'I')
			end++;
		if (*end == 'b' || *end == 'B')
			end++;
		if (*end)
			return -EINVAL;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return -EINVAL;
	*ret = (uint64_t)v << shift;
	return 0;
}

int parse_mode_word(const char *s, mode_t *ret)
{
	if (!s || !*s)
		return -EINVAL;
	unsigned long v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '7')
			return -EINVAL;
		v = v * 8 + (unsigned long)(*p - '0');
		if (v > 07777)
			return -EINVAL;
	}
	*ret = (mode_t)v;
	return 0;
}

/* --- paths --------------------------------------------------------------- */

/*
 * Normalise an absolute path: collapse "//" and "/./", drop a trailing "/".
 * ".." is refused: a destination that climbs is a mistake or an attack, and
 * the mount code resolves destinations beneath the new root anyway.
 */
static int normalize_path(const char *in, const struct source_loc *loc, const char *what,
			  char **ret)
{
	if (in[0] != '/')
		return log_at(loc,
			      "%s '%s' is not an absolute path; expected a path starting with /",
			      what, in);
	size_t len = strlen(in);
	char *out = xmalloc(len + 1);
	size_t o = 0;
	const char *p = in;
	while (*p) {
		while (*p == '/')
			p++;
		const char *start = p;
		while (*p && *p != '/')
			p++;
		size_t n = (size_t)(p - start);
		if (n == 0 || (n == 1 && start[0] == '.'))
			continue;
		if (n == 2 && start[0] == '.' && start[1] == '.') {
			free(out);
			return log_at(loc, "%s '%s' contains '..'; expected a path without '..'",
				      what, in);
		}
		out[o++] = '/';
		memcpy(out + o, start, n);
		o += n;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	*ret = out;
	return 0;
}

/* A bind source may be relative (`--bind=.`): it is taken from the cwd. */
static int source_path(const char *in, const struct source_loc *loc, char **ret)
{
	if (in[0] == '/')
		return normalize_path(in, loc, "source", ret);
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd)))
		return log_at(loc, "cannot make '%s' absolute: the current directory is gone", in);
	_cleanup_free_ char *abs = xasprintf("%s/%s", streq(cwd, "/") ? "" : cwd, in);
	return normalize_path(abs, loc, "source", ret);
}

/*
 * Split "SRC[:DEST]" at the first unescaped ':'; "\:" is a literal colon and
 * "\\" a literal backslash. Returns the two halves unescaped.
 */
static void split_colon(const char *word, char **ret_a, char **ret_b)
{
	size_t len = strlen(word);
	char *a = xmalloc(len + 1), *b = NULL;
	char *o = a;
	for (const char *p = word; *p; p++) {
		if (*p == '\\' && (p[1] == ':' || p[1] == '\\')) {
			*o++ = *++p;
		} else if (*p == ':' && !b) {
			*o = '\0';
			b = xmalloc(len + 1);
			o = b;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	*ret_a = a;
	*ret_b = b;
}

/* --- directive handlers ---------------------------------------------------- */

static int apply_bind(struct sandbox_config *c, const struct directive_args *a,
		      enum mount_kind kind, bool try_)
{
	for (size_t i = 0; i < a->n; i++) {
		_cleanup_free_ char *src = NULL, *dest = NULL;
		split_colon(a->words[i], &src, &dest);
		if (!*src)
			return log_at(&a->locs[i], "empty source in '%s'; expected SRC[:DEST]",
				      a->words[i]);
		_cleanup_free_ char *abs_src = NULL, *abs_dest = NULL;
		int r = source_path(src, &a->locs[i], &abs_src);
		if (r < 0)
			return r;
		r = normalize_path(dest && *dest ? dest : abs_src, &a->locs[i], "destination",
				   &abs_dest);
		if (r < 0)
			return r;
		struct mount_op *m = config_add_mount(c, kind, &a->locs[i]);
		m->src = STEAL_PTR(abs_src);
		m->dest = STEAL_PTR(abs_dest);
		m->try_ = try_;
	}
	return 0;
}

#define BIND_HANDLER(fn, kind, try_)                                            \
	static int fn(struct sandbox_config *c, const struct directive_args *a) \
	{                                                                       \
		return apply_bind(c, a, kind, try_);                            \
	}
BIND_HANDLER(apply_ro_bind, MOUNT_RO_BIND, false)
BIND_HANDLER(apply_ro_bind_try, MOUNT_RO_BIND, true)
BIND_HANDLER(apply_rw_bind, MOUNT_BIND, false)
BIND_HANDLER(apply_rw_bind_try, MOUNT_BIND, true)
BIND_HANDLER(apply_dev_bind, MOUNT_DEV_BIND, false)
BIND_HANDLER(apply_dev_bind_try, MOUNT_DEV_BIND, true)

static int apply_tmpfs(struct sandbox_config *c, const struct directive_args *a)
{
	_cleanup_free_ char *dest = NULL;
	int r = normalize_path(a->words[0], &a->locs[0], "destination", &dest);
	if (r < 0)
		return r;
	struct mount_op m = { .kind = MOUNT_TMPFS, .loc = a->locs[0] };
	for (size_t i = 1; i < a->n; i++) {
		const char *v;
		if ((v = startswith(a->words[i], "size="))) {
			if (parse_size_word(v, &m.size) < 0 || m.size == 0)
				return log_at(&a->locs[i],
					      "bad size '%s'; expected a number with an optional "
					      "K, M, G or T suffix, like size=64M",
					      v);
		} else if ((v = startswith(a->words[i], "mode="))) {
			if (parse_mode_word(v, &m.mode) < 0)
				return log_at(
					&a->locs[i],
					"bad mode '%s'; expected an octal mode like mode=1777", v);
			m.has_mode = true;
		} else {
			return log_at(&a->locs[i],
				      "unknown tmpfs option '%s'; expected size=N or mode=OCTAL",
				      a->words[i]);
		}
	}
	struct mount_op *op = config_add_mount(c, MOUNT_TMPFS, &a->locs[0]);
	*op = m;
	op->dest = STEAL_PTR(dest);
	return 0;
}

static int apply_dest_kind(struct sandbox_config *c, const struct directive_args *a,
			   enum mount_kind kind)
{
	for (size_t i = 0; i < a->n; i++) {
		_cleanup_free_ char *dest = NULL;
		int r = normalize_path(a->words[i], &a->locs[i], "destination", &dest);
		if (r < 0)
			return r;
		config_add_mount(c, kind, &a->locs[i])->dest = STEAL_PTR(dest);
	}
	return 0;
}

#define DEST_HANDLER(fn, kind)                                                  \
	static int fn(struct sandbox_config *c, const struct directive_args *a) \
	{                                                                       \
		return apply_dest_kind(c, a, kind);                             \
	}
DEST_HANDLER(apply_proc, MOUNT_PROC)
DEST_HANDLER(apply_dev, MOUNT_DEV)
DEST_HANDLER(apply_mqueue, MOUNT_MQUEUE)
DEST_HANDLER(apply_dir, MOUNT_DIR)
DEST_HANDLER(apply_remount_ro, MOUNT_REMOUNT_RO)

static int apply_symlink(struct sandbox_config *c, const struct directive_args *a)
{
	_cleanup_free_ char *link = NULL;
	if (!*a->words[0])
		return log_at(&a->locs[0], "empty symlink target; expected TARGET LINK");
	int r = normalize_path(a->words[1], &a->locs[1], "symlink", &link);
	if (r < 0)
		return r;
	struct mount_op *m = config_add_mount(c, MOUNT_SYMLINK, &a->locs[1]);
	m->src = xstrdup(a->words[0]);
	m->dest = STEAL_PTR(link);
	return 0;
}

static int apply_file(struct sandbox_config *c, const struct directive_args *a)
{
	_cleanup_free_ char *dest = NULL;
	int r = normalize_path(a->words[0], &a->locs[0], "destination", &dest);
	if (r < 0)
		return r;
	struct mount_op *m = config_add_mount(c, MOUNT_FILE, &a->locs[0]);
	m->dest = STEAL_PTR(dest);
	m->src = xstrdup(a->words[1]);
	return 0;
}

static int apply_chmod(struct sandbox_config *c, const struct directive_args *a)
{
	mode_t mode;
	if (parse_mode_word(a->words[0], &mode) < 0)
		return log_at(&a->locs[0], "bad mode '%s'; expected an octal mode like 0755",
			      a->words[0]);
	for (size_t i = 1; i < a->n; i++) {
		_cleanup_free_ char *dest = NULL;
		int r = normalize_path(a->words[i], &a->locs[i], "destination", &dest);
		if (r < 0)
			return r;
		struct mount_op *m = config_add_mount(c, MOUNT_CHMOD, &a->locs[i]);
		m->dest = STEAL_PTR(dest);
		m->mode = mode;
		m->has_mode = true;
	}
	return 0;
}

static int apply_rootfs(struct sandbox_config *c, const struct directive_args *a)
{
	_cleanup_free_ char *dir = NULL;
	int r = source_path(a->words[0], &a->locs[0], &dir);
	if (r < 0)
		return r;
	free(c->rootfs);
	c->rootfs = STEAL_PTR(dir);
	return 0;
}

static int apply_overlay(struct sandbox_config *c, const struct directive_args *a)
{
	_cleanup_free_ char *src = NULL, *dest = NULL, *abs_src = NULL, *abs_dest = NULL;
	_cleanup_free_ char *upper = NULL;
	split_colon(a->words[0], &src, &dest);
	int r = source_path(src, &a->locs[0], &abs_src);
	if (r < 0)
		return r;
	r = normalize_path(dest && *dest ? dest : abs_src, &a->locs[0], "destination", &abs_dest);
	if (r < 0)
		return r;
	for (size_t i = 1; i < a->n; i++) {
		const char *v = startswith(a->words[i], "upper=");
		if (!v || !*v)
			return log_at(&a->locs[i],
				      "unknown overlay option '%s'; expected upper=DIR",
				      a->words[i]);
		free(upper);
		upper = NULL;
		r = source_path(v, &a->locs[i], &upper);
		if (r < 0)
			return r;
	}
	struct mount_op *m = config_add_mount(c, MOUNT_OVERLAY, &a->locs[0]);
	m->src = STEAL_PTR(abs_src);
	m->dest = STEAL_PTR(abs_dest);
	m->upper = STEAL_PTR(upper);
	return 0;
}

static int parse_ns_word(const char *w, const struct source_loc *loc, enum ns_kind *ret)
{
	for (enum ns_kind k = 0; k < _NS_COUNT; k++)
		if (streq(w, ns_kind_name(k)) && k != NS_MOUNT) {
			*ret = k;
			return 0;
		}
	if (streq(w, "user") || streq(w, "mount"))
		return log_at(loc,
			      "the %s namespace is always new and cannot be shared; expected one "
			      "of net, ipc, uts, pid, cgroup",
			      w);
	return log_at(loc, "unknown namespace '%s'; expected one of net, ipc, uts, pid, cgroup", w);
}

static int apply_share_common(struct sandbox_config *c, const struct directive_args *a, bool share)
{
	for (size_t i = 0; i < a->n; i++) {
		enum ns_kind k = NS_NET;
		int r = parse_ns_word(a->words[i], &a->locs[i], &k);
		if (r < 0)
			return r;
		c->share[k] = share;
		/* The network namespace has a mode of its own; keep the two in step
		 * so that the last word wins whichever spelling it used. */
		if (k == NS_NET)
			c->net = share ? NET_HOST : NET_NONE;
	}
	return 0;
}

static int apply_share(struct sandbox_config *c, const struct directive_args *a)
{
	return apply_share_common(c, a, true);
}

static int apply_unshare(struct sandbox_config *c, const struct directive_args *a)
{
	return apply_share_common(c, a, false);
}

static int apply_net(struct sandbox_config *c, const struct directive_args *a)
{
	const char *w = a->words[0];
	if (streq(w, "none"))
		c->net = NET_NONE;
	else if (streq(w, "host"))
		c->net = NET_HOST;
	else if (streq(w, "user"))
		c->net = NET_USER;
	else
		return log_at(&a->locs[0], "unknown network mode '%s'; expected none, host or user",
			      w);
	c->share[NS_NET] = c->net == NET_HOST;
	return 0;
}

/* A directive that is a flag: no word means yes. */
static int flag_value(const struct directive_args *a, bool *ret)
{
	if (a->n == 0) {
		*ret = true;
		return 0;
	}
	if (parse_bool_word(a->words[0], ret) < 0)
		return log_at(&a->locs[0], "bad value '%s' for %s; expected yes or no", a->words[0],
			      a->name);
	return 0;
}

#define FLAG_HANDLER(fn, field)                                                 \
	static int fn(struct sandbox_config *c, const struct directive_args *a) \
	{                                                                       \
		return flag_value(a, &c->field);                                \
	}
FLAG_HANDLER(apply_allow_host_loopback, allow_host_loopback)
FLAG_HANDLER(apply_clearenv, clearenv)
FLAG_HANDLER(apply_new_session, new_session)
FLAG_HANDLER(apply_dbus, dbus)

static int parse_port(const char *s, uint16_t *ret)
{
	unsigned long v;
	if (parse_uint(s, 65535, &v) < 0 || v == 0)
		return -EINVAL;
	*ret = (uint16_t)v;
	return 0;
}

static int apply_publish(struct sandbox_config *c, const struct directive_args *a)
{
	for (size_t i = 0; i < a->n; i++) {
		_cleanup_free_ char *w = xstrdup(a->words[i]);
		struct publish p = { 0 };
		char *proto = strchr(w, '/');
		if (proto) {
			*proto++ = '\0';
			if (streq(proto, "udp"))
				p.udp = true;
			else if (!streq(proto, "tcp"))
				goto bad;
		}
		char *colon = strchr(w, ':');
		if (!colon)
			goto bad;
		*colon = '\0';
		if (parse_port(w, &p.host_port) < 0 || parse_port(colon + 1, &p.sandbox_port) < 0)
			goto bad;
		c->publish = xreallocarray(c->publish, c->n_publish + 1, sizeof(*c->publish));
		c->publish[c->n_publish++] = p;
		continue;
	bad:
		return log_at(
			&a->locs[i],
			"bad port mapping '%s'; expected HOSTPORT:PORT[/tcp|/udp], ports 1-65535",
			a->words[i]);
	}
	return 0;
}

static int apply_user(struct sandbox_config *c, const struct directive_args *a)
{
	const char *w = a->words[0];
	if (streq(w, "root")) {
		c->user = USER_ROOT;
		return 0;
	}
	if (streq(w, "self")) {
		c->user = USER_SELF;
		return 0;
	}
	_cleanup_free_ char *uid_s = NULL, *gid_s = NULL;
	split_colon(w, &uid_s, &gid_s);
	unsigned long uid, gid;
	/* 65534 is the overflow id and (uid_t)-1 means "unchanged" to the kernel. */
	if (parse_uint(uid_s, 65533, &uid) < 0 || (gid_s && parse_uint(gid_s, 65533, &gid) < 0))
		return log_at(&a->locs[0],
			      "bad user '%s'; expected root, self, or UID[:GID] with numbers "
			      "from 0 to 65533",
			      w);
	c->user = USER_ID;
	c->uid = (uid_t)uid;
	c->gid = gid_s ? (gid_t)gid : (gid_t)uid;
	return 0;
}

static int parse_cap_word(const char *w, const struct source_loc *loc, uint64_t *ret_mask)
{
	if (strcasecmp(w, "all") == 0) {
		*ret_mask = UINT64_MAX;
		return 0;
	}
	_cleanup_free_ char *name = NULL;
	if (strncasecmp(w, "cap_", 4) == 0)
		name = xstrdup(w);
	else
		name = xasprintf("cap_%s", w);
	for (char *p = name; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	cap_value_t v;
	if (cap_from_name(name, &v) < 0 || v < 0 || v > 63)
		return log_at(loc,
			      "unknown capability '%s'; expected a name like CAP_NET_BIND_SERVICE "
			      "(see capabilities(7)) or ALL",
			      w);
	*ret_mask = UINT64_C(1) << v;
	return 0;
}

static int apply_caps(struct sandbox_config *c, const struct directive_args *a, bool add)
{
	for (size_t i = 0; i < a->n; i++) {
		uint64_t mask = 0;
		int r = parse_cap_word(a->words[i], &a->locs[i], &mask);
		if (r < 0)
			return r;
		if (add)
			c->cap_keep |= mask;
		else
			c->cap_keep &= ~mask;
	}
	return 0;
}

static int apply_cap_add(struct sandbox_config *c, const struct directive_args *a)
{
	return apply_caps(c, a, true);
}

static int apply_cap_drop(struct sandbox_config *c, const struct directive_args *a)
{
	return apply_caps(c, a, false);
}

static bool valid_env_name(const char *s, size_t n)
{
	if (n == 0 || isdigit((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

static int apply_setenv(struct sandbox_config *c, const struct directive_args *a)
{
	for (size_t i = 0; i < a->n; i++) {
		const char *eq = strchr(a->words[i], '=');
		if (!eq || !valid_env_name(a->words[i], (size_t)(eq - a->words[i])))
			return log_at(
				&a->locs[i],
				"bad assignment '%s'; expected VAR=VALUE with a name of letters, "
				"digits and _",
				a->words[i]);
		_cleanup_free_ char *name = xstrndup(a->words[i], (size_t)(eq - a->words[i]));
		config_add_env(c, ENV_SET, name, eq + 1);
	}
	return 0;
}

static int apply_env_names(struct sandbox_config *c, const struct directive_args *a,
			   enum env_kind kind)
{
	for (size_t i = 0; i < a->n; i++) {
		if (!valid_env_name(a->words[i], strlen(a->words[i])))
			return log_at(&a->locs[i],
				      "bad variable name '%s'; expected letters, digits and _",
				      a->words[i]);
		config_add_env(c, kind, a->words[i], NULL);
	}
	return 0;
}

static int apply_unsetenv(struct sandbox_config *c, const struct directive_args *a)
{
	return apply_env_names(c, a, ENV_UNSET);
}

static int apply_keepenv(struct sandbox_config *c, const struct directive_args *a)
{
	return apply_env_names(c, a, ENV_KEEP);
}

static int apply_chdir(struct sandbox_config *c, const struct directive_args *a)
{
	_cleanup_free_ char *dir = NULL;
	int r = normalize_path(a->words[0], &a->locs[0], "directory", &dir);
	if (r < 0)
		return r;
	free(c->chdir);
	c->chdir = STEAL_PTR(dir);
	return 0;
}

/*
 * `workdir [rw|ro|no]`: share the directory sandbox was started in and run the
 * command there. The current directory is often a project, but sometimes it is
 * the home directory or /, and sharing those writable would hand the sandbox
 * everything a profile meant to hide: then nothing is shared, with a notice.
 */
static int apply_workdir(struct sandbox_config *c, const struct directive_args *a)
{
	const char *mode = a->n ? a->words[0] : "rw";
	if (!streq(mode, "rw") && !streq(mode, "ro") && !streq(mode, "no"))
		return log_at(&a->locs[0], "bad workdir mode '%s'; expected rw, ro or no", mode);
	if (streq(mode, "no"))
		return 0;
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd)))
		return log_at(&a->loc, "workdir: the current directory is gone");
	const char *home = getenv("HOME");
	if (streq(cwd, "/") || (home && streq(cwd, home))) {
		log_notice("not sharing the current directory %s: it is %s (run from a project "
			   "directory, or share it explicitly with --bind=%s)",
			   cwd, streq(cwd, "/") ? "the root of the host" : "your home directory",
			   cwd);
		return 0;
	}
	_cleanup_free_ char *path = NULL;
	int r = normalize_path(cwd, &a->loc, "current directory", &path);
	if (r < 0)
		return r;
	struct mount_op *m =
		config_add_mount(c, streq(mode, "ro") ? MOUNT_RO_BIND : MOUNT_BIND, &a->loc);
	m->src = xstrdup(path);
	m->dest = xstrdup(path);
	free(c->chdir);
	c->chdir = STEAL_PTR(path);
	return 0;
}

static int apply_hostname(struct sandbox_config *c, const struct directive_args *a)
{
	const char *w = a->words[0];
	size_t n = strlen(w);
	bool ok = n > 0 && n <= 64 && w[0] != '-';
	for (size_t i = 0; ok && i < n; i++)
		ok = isalnum((unsigned char)w[i]) || w[i] == '-' || w[i] == '.';
	if (!ok)
		return log_at(&a->locs[0],
			      "bad hostname '%s'; expected up to 64 letters, digits, '-' and '.'",
			      w);
	free(c->hostname);
	c->hostname = xstrdup(w);
	return 0;
}

static const struct {
	const char *name;
	int resource;
} rlimit_names[] = {
	{ "as", RLIMIT_AS },
	{ "core", RLIMIT_CORE },
	{ "cpu", RLIMIT_CPU },
	{ "data", RLIMIT_DATA },
	{ "fsize", RLIMIT_FSIZE },
	{ "locks", RLIMIT_LOCKS },
	{ "memlock", RLIMIT_MEMLOCK },
	{ "msgqueue", RLIMIT_MSGQUEUE },
	{ "nice", RLIMIT_NICE },
	{ "nofile", RLIMIT_NOFILE },
	{ "nproc", RLIMIT_NPROC },
	{ "rss", RLIMIT_RSS },
	{ "rtprio", RLIMIT_RTPRIO },
	{ "rttime", RLIMIT_RTTIME },
	{ "sigpending", RLIMIT_SIGPENDING },
	{ "stack", RLIMIT_STACK },
};

static const char *rlimit_name(int resource)
{
	for (size_t i = 0; i < ARRAY_SIZE(rlimit_names); i++)
		if (rlimit_names[i].resource == resource)
			return rlimit_names[i].name;
	return "?";
}

static int parse_rlimit_value(const char *s, uint64_t *ret)
{
	if (streq(s, "infinity") || streq(s, "unlimited")) {
		*ret = RLIM_INFINITY;
		return 0;
	}
	return parse_size_word(s, ret);
}

static int apply_rlimit(struct sandbox_config *c, const struct directive_args *a)
{
	for (size_t i = 0; i < a->n; i++) {
		_cleanup_free_ char *w = xstrdup(a->words[i]);
		char *eq = strchr(w, '=');
		if (!eq)
			return log_at(&a->locs[i],
				      "bad limit '%s'; expected NAME=SOFT[:HARD], like nofile=1024",
				      a->words[i]);
		*eq = '\0';
		int resource = -1;
		for (size_t k = 0; k < ARRAY_SIZE(rlimit_names); k++)
			if (streq(w, rlimit_names[k].name))
				resource = rlimit_names[k].resource;
		if (resource < 0)
			return log_at(
				&a->locs[i],
				"unknown limit '%s'; expected one of as, core, cpu, data, fsize, "
				"locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, "
				"rttime, sigpending, stack",
				w);
		char *hard = strchr(eq + 1, ':');
		if (hard)
			*hard++ = '\0';
		struct rlimit_op op = { .resource = resource };
		if (parse_rlimit_value(eq + 1, &op.soft) < 0 ||
		    (hard && parse_rlimit_value(hard, &op.hard) < 0))
			return log_at(
				&a->locs[i],
				"bad limit value in '%s'; expected a number (K/M/G suffixes) or "
				"infinity",
				a->words[i]);
		if (!hard)
			op.hard = op.soft;
		if (op.soft > op.hard)
			return log_at(&a->locs[i], "soft limit above hard limit in '%s'",
				      a->words[i]);
		/* last word wins per resource */
		size_t k;
		for (k = 0; k < c->n_rlimits && c->rlimits[k].resource != resource; k++)
			;
		if (k == c->n_rlimits)
			c->rlimits = xreallocarray(c->rlimits, ++c->n_rlimits, sizeof(*c->rlimits));
		c->rlimits[k] = op;
	}
	return 0;
}

/*
 * A well-known bus name as xdg-dbus-proxy takes it: two or more elements of
 * [A-Za-z0-9_-] joined by dots, none starting with a digit, at most 255
 * bytes; a last element `*` means every name below the prefix.
 */
static bool bus_name_valid(const char *n)
{
	size_t len = strlen(n), elements = 0;
	if (len == 0 || len > 255)
		return false;
	for (const char *p = n; *p;) {
		size_t el = strcspn(p, ".");
		if (el == 0 || isdigit((unsigned char)*p))
			return false;
		bool star = el == 1 && *p == '*';
		if (star && p[1] != '\0')
			return false; /* only the last element may be `*` */
		for (size_t i = 0; i < el && !star; i++)
			if (!isalnum((unsigned char)p[i]) && p[i] != '_' && p[i] != '-')
				return false;
		elements++;
		p += el;
		if (*p == '.' && !*++p)
			return false;
	}
	return elements >= 2;
}

static int apply_bus_names(struct sandbox_config *c, const struct directive_args *a, char ***list)
{
	for (size_t i = 0; i < a->n; i++) {
		if (!bus_name_valid(a->words[i]))
			return log_at(
				&a->locs[i],
				"bad bus name '%s'; expected a well-known name like "
				"org.freedesktop.Notifications, or a prefix like org.example.*",
				a->words[i]);
		strv_push(list, xstrdup(a->words[i]));
	}
	/* Naming what the app may reach asks for the filtered bus. */
	c->dbus = true;
	return 0;
}

static int apply_dbus_talk(struct sandbox_config *c, const struct directive_args *a)
{
	return apply_bus_names(c, a, &c->dbus_talk);
}

static int apply_dbus_own(struct sandbox_config *c, const struct directive_args *a)
{
	return apply_bus_names(c, a, &c->dbus_own);
}

static int apply_name(struct sandbox_config *c, const struct directive_args *a)
{
	const char *w = a->words[0];
	size_t n = strlen(w);
	bool ok = n > 0 && n <= 64 && w[0] != '.' && w[0] != '-';
	for (size_t i = 0; ok && i < n; i++)
		ok = isalnum((unsigned char)w[i]) || strchr("-_.", w[i]);
	if (!ok)
		return log_at(&a->locs[0],
			      "bad name '%s'; expected up to 64 letters, digits, '-', '_' and '.'",
			      w);
	free(c->name);
	c->name = xstrdup(w);
	return 0;
}

static int apply_fd(const struct directive_args *a, int *field)
{
	unsigned long v;
	if (parse_uint(a->words[0], INT_MAX, &v) < 0)
		return log_at(&a->locs[0], "bad file descriptor '%s'; expected a number",
			      a->words[0]);
	*field = (int)v;
	return 0;
}

static int apply_info_fd(struct sandbox_config *c, const struct directive_args *a)
{
	return apply_fd(a, &c->info_fd);
}

static int apply_json_status_fd(struct sandbox_config *c, const struct directive_args *a)
{
	return apply_fd(a, &c->json_status_fd);
}

static int apply_syscall(struct sandbox_config *c, const struct directive_args *a)
{
	return filter_directive(c, a);
}

/* --- the table ----------------------------------------------------------- */

static const struct directive directives[] = {
	{ "ro-bind", apply_ro_bind, 1, ANY, DIRECTIVE_CLI_WORD, "SRC[:DEST]",
	  "bind SRC read-only at DEST (default: the same path), with every submount" },
	{ "ro-bind-try", apply_ro_bind_try, 1, ANY, DIRECTIVE_CLI_WORD, "SRC[:DEST]",
	  "like ro-bind, skipped when SRC does not exist" },
	{ "bind", apply_rw_bind, 1, ANY, DIRECTIVE_CLI_WORD, "SRC[:DEST]",
	  "bind SRC writable at DEST (nosuid, nodev)" },
	{ "bind-try", apply_rw_bind_try, 1, ANY, DIRECTIVE_CLI_WORD, "SRC[:DEST]",
	  "like bind, skipped when SRC does not exist" },
	{ "dev-bind", apply_dev_bind, 1, ANY, DIRECTIVE_CLI_WORD, "SRC[:DEST]",
	  "bind SRC writable, device nodes usable" },
	{ "dev-bind-try", apply_dev_bind_try, 1, ANY, DIRECTIVE_CLI_WORD, "SRC[:DEST]",
	  "like dev-bind, skipped when SRC does not exist" },
	{ "tmpfs", apply_tmpfs, 1, 3, DIRECTIVE_CLI_SPLIT, "'DEST [size=N] [mode=OCT]'",
	  "a fresh tmpfs at DEST" },
	{ "proc", apply_proc, 1, 1, DIRECTIVE_CLI_WORD, "DEST",
	  "a fresh procfs of the sandbox's pid namespace" },
	{ "dev", apply_dev, 1, 1, DIRECTIVE_CLI_WORD, "DEST",
	  "a minimal /dev: null zero full random urandom tty, devpts, shm" },
	{ "mqueue", apply_mqueue, 1, 1, DIRECTIVE_CLI_WORD, "DEST", "a POSIX message queue fs" },
	{ "dir", apply_dir, 1, ANY, DIRECTIVE_CLI_WORD, "DEST", "create a directory" },
	{ "symlink", apply_symlink, 2, 2, DIRECTIVE_CLI_SPLIT, "'TARGET LINK'",
	  "create the symlink LINK pointing at TARGET" },
	{ "file", apply_file, 2, 2, DIRECTIVE_CLI_SPLIT, "'DEST CONTENT'",
	  "create the read-only file DEST holding CONTENT" },
	{ "remount-ro", apply_remount_ro, 1, ANY, DIRECTIVE_CLI_WORD, "DEST",
	  "make DEST and its submounts read-only" },
	{ "chmod", apply_chmod, 2, ANY, DIRECTIVE_CLI_SPLIT, "'MODE DEST'",
	  "change the mode of DEST" },
	{ "rootfs", apply_rootfs, 1, 1, DIRECTIVE_CLI_WORD, "DIR",
	  "use DIR as the base of the new root instead of an empty tmpfs" },
	{ "overlay", apply_overlay, 1, 2, DIRECTIVE_CLI_SPLIT, "'DIR[:DEST] [upper=UPPER]'",
	  "DIR writable inside; writes go to a private tmpfs, or persist in UPPER/upper "
	  "(UPPER/work beside it; both created when missing)" },
	{ "workdir", apply_workdir, 0, 1, DIRECTIVE_CLI_WORD, "rw|ro|no",
	  "share the current directory (not / or your home) and run the command there" },
	{ "chdir", apply_chdir, 1, 1, DIRECTIVE_CLI_WORD, "DIR",
	  "working directory of the command" },
	{ "hostname", apply_hostname, 1, 1, DIRECTIVE_CLI_WORD, "NAME",
	  "host name inside (needs a new uts namespace)" },
	{ "share", apply_share, 1, ANY, DIRECTIVE_CLI_WORD, "NS",
	  "keep the caller's NS namespace: net, ipc, uts, pid or cgroup" },
	{ "unshare", apply_unshare, 1, ANY, DIRECTIVE_CLI_WORD, "NS",
	  "undo an earlier share: give the sandbox a new NS namespace" },
	{ "net", apply_net, 1, 1, DIRECTIVE_CLI_WORD, "none|host|user",
	  "network: loopback only, the host's, or user-mode networking" },
	{ "allow-host-loopback", apply_allow_host_loopback, 0, 1, DIRECTIVE_CLI_FLAG, "[yes|no]",
	  "with net user: let the sandbox reach the host's loopback services" },
	{ "publish", apply_publish, 1, ANY, DIRECTIVE_CLI_WORD, "HOSTPORT:PORT[/udp]",
	  "with net user: forward host 127.0.0.1:HOSTPORT to PORT inside" },
	{ "user", apply_user, 1, 1, DIRECTIVE_CLI_WORD, "root|self|UID[:GID]",
	  "who the command runs as inside (default root, with no capabilities)" },
	{ "cap-add", apply_cap_add, 1, ANY, DIRECTIVE_CLI_WORD, "CAP",
	  "keep capability CAP inside the user namespace" },
	{ "cap-drop", apply_cap_drop, 1, ANY, DIRECTIVE_CLI_WORD, "CAP",
	  "undo an earlier cap-add" },
	{ "clearenv", apply_clearenv, 0, 1, DIRECTIVE_CLI_FLAG, "[yes|no]",
	  "start from an empty environment (keepenv and setenv add to it)" },
	{ "setenv", apply_setenv, 1, ANY, DIRECTIVE_CLI_WORD, "VAR=VALUE",
	  "set an environment variable" },
	{ "unsetenv", apply_unsetenv, 1, ANY, DIRECTIVE_CLI_WORD, "VAR",
	  "remove an environment variable" },
	{ "keepenv", apply_keepenv, 1, ANY, DIRECTIVE_CLI_WORD, "VAR",
	  "with clearenv: keep VAR from the caller's environment" },
	{ "new-session", apply_new_session, 0, 1, DIRECTIVE_CLI_FLAG, "[yes|no]",
	  "run in a new session, so the command cannot push keystrokes into your terminal "
	  "(default yes)" },
	{ "dbus", apply_dbus, 0, 1, DIRECTIVE_CLI_FLAG, "[yes|no]",
	  "a filtered session bus through xdg-dbus-proxy, at ${XDG_RUNTIME_DIR}/bus inside" },
	{ "dbus-talk", apply_dbus_talk, 1, ANY, DIRECTIVE_CLI_WORD, "NAME",
	  "on the filtered bus, let the command talk to NAME (turns the bus on)" },
	{ "dbus-own", apply_dbus_own, 1, ANY, DIRECTIVE_CLI_WORD, "NAME",
	  "on the filtered bus, let the command own NAME (turns the bus on)" },
	{ "rlimit", apply_rlimit, 1, ANY, DIRECTIVE_CLI_WORD, "NAME=SOFT[:HARD]",
	  "a resource limit, like nofile=1024 or as=4G" },
	{ "syscall", apply_syscall, 1, ANY, DIRECTIVE_CLI_SPLIT, "'allow|deny|default|arch ...'",
	  "a seccomp rule (see sandbox-profile(5))" },
	{ "name", apply_name, 1, 1, DIRECTIVE_CLI_WORD, "NAME",
	  "register the running sandbox as NAME (sandbox list, sandbox enter)" },
	{ "info-fd", apply_info_fd, 1, 1, DIRECTIVE_CLI_WORD, "FD",
	  "write the pid and namespace ids as JSON to FD once running" },
	{ "json-status-fd", apply_json_status_fd, 1, 1, DIRECTIVE_CLI_WORD, "FD",
	  "write JSON lines about the sandbox's start and exit status to FD" },
	{ 0 },
};

const struct directive *directive_table(void)
{
	return directives;
}

const struct directive *directive_find(const char *name)
{
	for (const struct directive *d = directives; d->name; d++)
		if (streq(d->name, name))
			return d;
	return NULL;
}

int directive_apply(struct sandbox_config *c, const struct directive_args *a)
{
	const struct directive *d = directive_find(a->name);
	if (!d) {
		const char *best = NULL;
		unsigned best_d = 3;
		for (const struct directive *e = directives; e->name; e++) {
			unsigned dist = string_distance(a->name, e->name);
			if (dist < best_d) {
				best_d = dist;
				best = e->name;
			}
		}
		if (best)
			return log_at(&a->loc, "unknown directive '%s'; did you mean '%s'?",
				      a->name, best);
		return log_at(
			&a->loc,
			"unknown directive '%s'; expected a directive such as ro-bind, tmpfs, "
			"net or syscall (see sandbox-profile(5))",
			a->name);
	}
	if (a->n < d->min_words || a->n > d->max_words) {
		const struct source_loc *loc = a->n > d->max_words ? &a->locs[d->max_words]
								   : &a->loc;
		return log_at(loc, "%s %s: expected %s %s", a->name,
			      a->n > d->max_words ? "has too many words" : "needs more words",
			      d->name, d->arg_help);
	}
	return d->apply(c, a);
}

/* --- printing a config as a profile --------------------------------------- */

static void print_words(FILE *f, const char *name, const char *const *words, size_t n)
{
	fputs(name, f);
	for (size_t i = 0; i < n; i++) {
		fputc(' ', f);
		profile_quote_word(words[i], f);
	}
	fputc('\n', f);
}

/* Escape ':' and '\' so split_colon() reads the path back unchanged. */
static char *escape_colon(const char *s)
{
	char *out = xmalloc(strlen(s) * 2 + 1), *o = out;
	for (; *s; s++) {
		if (*s == ':' || *s == '\\')
			*o++ = '\\';
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

static void print_mount(FILE *f, const struct mount_op *m)
{
	char name[32];
	snprintf(name, sizeof(name), "%s%s", mount_kind_name(m->kind), m->try_ ? "-try" : "");
	switch (m->kind) {
	case MOUNT_BIND:
	case MOUNT_RO_BIND:
	case MOUNT_DEV_BIND:
	case MOUNT_OVERLAY: {
		_cleanup_free_ char *s = escape_colon(m->src), *d = escape_colon(m->dest);
		_cleanup_free_ char *w = streq(m->src, m->dest) ? xstrdup(s)
								: xasprintf("%s:%s", s, d);
		_cleanup_free_ char *up = m->upper ? xasprintf("upper=%s", m->upper) : NULL;
		const char *words[] = { w, up };
		print_words(f, name, words, up ? 2 : 1);
		break;
	}
	case MOUNT_TMPFS: {
		_cleanup_free_ char *size =
			m->size ? xasprintf("size=%llu", (unsigned long long)m->size) : NULL;
		_cleanup_free_ char *mode = m->has_mode ? xasprintf("mode=%04o", (unsigned)m->mode)
							: NULL;
		const char *words[3] = { m->dest };
		size_t n = 1;
		if (size)
			words[n++] = size;
		if (mode)
			words[n++] = mode;
		print_words(f, name, words, n);
		break;
	}
	case MOUNT_SYMLINK:
	case MOUNT_FILE: {
		const char *words[] = { m->kind == MOUNT_SYMLINK ? m->src : m->dest,
					m->kind == MOUNT_SYMLINK ? m->dest : m->src };
		print_words(f, name, words, 2);
		break;
	}
	case MOUNT_CHMOD: {
		_cleanup_free_ char *mode = xasprintf("%04o", (unsigned)m->mode);
		const char *words[] = { mode, m->dest };
		print_words(f, name, words, 2);
		break;
	}
	case MOUNT_PROC:
	case MOUNT_DEV:
	case MOUNT_MQUEUE:
	case MOUNT_DIR:
	case MOUNT_REMOUNT_RO: {
		const char *words[] = { m->dest };
		print_words(f, name, words, 1);
		break;
	}
	}
}

static void print_one(FILE *f, const char *name, const char *word)
{
	print_words(f, name, &word, 1);
}

void directive_print_config(const struct sandbox_config *c, FILE *f)
{
	fputs("# The effective profile of this run, as sandbox --print-profile printed it.\n", f);
	if (c->profile_names) {
		fputs("# Made from:", f);
		for (char **p = c->profile_names; *p; p++)
			fprintf(f, " %s", *p);
		fputc('\n', f);
	}
	if (c->argv) {
		/* A comment ends at the line's end, so a line break inside an
		 * argument is shown as \n rather than written out. */
		fputs("# Command:", f);
		for (char **p = c->argv; *p; p++) {
			_cleanup_free_ char *quoted = NULL;
			size_t size = 0;
			FILE *m = open_memstream(&quoted, &size);
			if (!m)
				continue;
			profile_quote_word(*p, m);
			fclose(m);
			fputc(' ', f);
			for (const char *q = quoted; q && *q; q++) {
				if (*q == '\n')
					fputs("\\n", f);
				else
					fputc(*q, f);
			}
		}
		fputc('\n', f);
	}

	static const char *const net_names[] = { "none", "host", "user" };
	print_one(f, "net", net_names[c->net]);
	for (enum ns_kind k = 0; k < _NS_COUNT; k++)
		if (k != NS_MOUNT && k != NS_NET)
			print_one(f, c->share[k] ? "share" : "unshare", ns_kind_name(k));
	print_one(f, "allow-host-loopback", c->allow_host_loopback ? "yes" : "no");
	for (size_t i = 0; i < c->n_publish; i++) {
		_cleanup_free_ char *w = xasprintf("%u:%u/%s", c->publish[i].host_port,
						   c->publish[i].sandbox_port,
						   c->publish[i].udp ? "udp" : "tcp");
		print_one(f, "publish", w);
	}

	_cleanup_free_ char *uid = NULL;
	if (c->user == USER_ID)
		uid = xasprintf("%u:%u", (unsigned)c->uid, (unsigned)c->gid);
	print_one(f, "user", c->user == USER_ROOT ? "root" : c->user == USER_SELF ? "self" : uid);
	for (int cap = 0; cap < 64; cap++) {
		if (!(c->cap_keep & (UINT64_C(1) << cap)))
			continue;
		char *n = cap_to_name(cap);
		if (n) {
			print_one(f, "cap-add", n);
			cap_free(n);
		}
	}
	print_one(f, "new-session", c->new_session ? "yes" : "no");
	if (c->hostname)
		print_one(f, "hostname", c->hostname);
	for (size_t i = 0; i < c->n_rlimits; i++) {
		char soft[32], hard[32];
		const struct rlimit_op *r = &c->rlimits[i];
		if (r->soft == RLIM_INFINITY)
			snprintf(soft, sizeof(soft), "infinity");
		else
			snprintf(soft, sizeof(soft), "%llu", (unsigned long long)r->soft);
		if (r->hard == RLIM_INFINITY)
			snprintf(hard, sizeof(hard), "infinity");
		else
			snprintf(hard, sizeof(hard), "%llu", (unsigned long long)r->hard);
		_cleanup_free_ char *w =
			xasprintf("%s=%s:%s", rlimit_name(r->resource), soft, hard);
		print_one(f, "rlimit", w);
	}
	if (c->name)
		print_one(f, "name", c->name);
	for (char **n = c->dbus_talk; n && *n; n++)
		print_one(f, "dbus-talk", *n);
	for (char **n = c->dbus_own; n && *n; n++)
		print_one(f, "dbus-own", *n);
	/* After the names, which turn the bus on: the last word wins. */
	print_one(f, "dbus", c->dbus ? "yes" : "no");

	fputs("\n# environment\n", f);
	print_one(f, "clearenv", c->clearenv ? "yes" : "no");
	for (size_t i = 0; i < c->n_env; i++) {
		const struct env_op *e = &c->env[i];
		if (e->kind == ENV_SET) {
			_cleanup_free_ char *w = xasprintf("%s=%s", e->name, e->value);
			print_one(f, "setenv", w);
		} else {
			print_one(f, e->kind == ENV_UNSET ? "unsetenv" : "keepenv", e->name);
		}
	}

	fputs("\n# filesystem, in order\n", f);
	if (c->rootfs)
		print_one(f, "rootfs", c->rootfs);
	for (size_t i = 0; i < c->n_mounts; i++)
		print_mount(f, &c->mounts[i]);
	if (c->chdir)
		print_one(f, "chdir", c->chdir);

	fputs("\n# seccomp\n", f);
	filter_print_rules(c, f);
}
