/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * idmap.c - planning and writing the id maps (see idmap.h).
 *
 * Layouts (inside -> outside):
 *   root, with a range:   0 -> caller, 1..N -> subordinate range
 *   self, with a range:   U -> caller (U = caller's uid), 0..U-1 and U+1..N -> the range
 *   no range:             0 -> caller (root) or U -> caller (self), setgroups denied
 * An explicit `user UID[:GID]` runs the command as that id, which must be
 * mapped by the layout for root.
 */
#include "config.h"

#include <fcntl.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "helper.h"
#include "idmap.h"

int idmap_find_subid(const char *text, const char *user, unsigned long id, struct idmap_range *ret)
{
	char idstr[32];
	snprintf(idstr, sizeof(idstr), "%lu", id);
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		_cleanup_free_ char *copy = xstrndup(line, len);
		line = nl ? nl + 1 : NULL;

		char *save = NULL;
		char *name = strtok_r(copy, ":", &save);
		char *start = strtok_r(NULL, ":", &save);
		char *count = strtok_r(NULL, ":\r", &save);
		if (!name || !start || !count || name[0] == '#')
			continue;
		if (!(user && streq(name, user)) && !streq(name, idstr))
			continue;
		unsigned long s, n;
		if (parse_uint(start, UINT32_MAX, &s) < 0 ||
		    parse_uint(count, UINT32_MAX, &n) < 0 || n == 0)
			continue;
		*ret = (struct idmap_range){ .inside = 1, .outside = s, .count = n };
		return 0;
	}
	return -ENOENT;
}

/* Build the ranges for one of uid/gid. */
static unsigned plan_one(enum user_mode mode, unsigned long own, const struct idmap_range *sub,
			 struct idmap_range *out)
{
	unsigned n = 0;
	if (!sub) {
		out[n++] = (struct idmap_range){ mode == USER_SELF ? own : 0, own, 1 };
		return n;
	}
	if (mode != USER_SELF) {
		out[n++] = (struct idmap_range){ 0, own, 1 };
		out[n++] = (struct idmap_range){ 1, sub->outside, sub->count };
		return n;
	}
	/* self: keep the caller's own id, fill the ids around it from the range */
	out[n++] = (struct idmap_range){ own, own, 1 };
	unsigned long below = sub->count < own ? sub->count : own;
	out[n++] = (struct idmap_range){ 0, sub->outside, below };
	if (sub->count > below)
		out[n++] =
			(struct idmap_range){ own + 1, sub->outside + below, sub->count - below };
	return n;
}

static bool id_mapped(const struct idmap_range *r, unsigned n, unsigned long id)
{
	for (unsigned i = 0; i < n; i++)
		if (id >= r[i].inside && id - r[i].inside < r[i].count)
			return true;
	return false;
}

int idmap_plan(const struct sandbox_config *c, uid_t uid, gid_t gid,
	       const struct idmap_range *subuid, const struct idmap_range *subgid,
	       struct idmap_plan *ret)
{
	struct idmap_plan p = { .use_helpers = subuid && subgid };
	if (!p.use_helpers)
		subuid = subgid = NULL;
	p.n_uid = plan_one(c->user, uid, subuid, p.uid);
	p.n_gid = plan_one(c->user, gid, subgid, p.gid);

	switch (c->user) {
	case USER_ROOT:
		p.payload_uid = 0;
		p.payload_gid = 0;
		break;
	case USER_SELF:
		p.payload_uid = uid;
		p.payload_gid = gid;
		break;
	case USER_ID:
		p.payload_uid = c->uid;
		p.payload_gid = c->gid;
		break;
	}
	if (!id_mapped(p.uid, p.n_uid, p.payload_uid) ||
	    !id_mapped(p.gid, p.n_gid, p.payload_gid)) {
		log_error("cannot run as uid %u gid %u inside: %s", (unsigned)p.payload_uid,
			  (unsigned)p.payload_gid,
			  p.use_helpers ? "the id is beyond your subordinate id range"
					: "without a subordinate id range only root and your own "
					  "ids can be mapped");
		return -EINVAL;
	}
	/* Set up as the inside id that is the caller outside (0, or the
	 * caller's own id with `user self`). Switching to another kernel id would
	 * make the setup processes non-dumpable: their owner could then no
	 * longer read their /proc entries (sandbox list, enter), and what the
	 * setup creates belongs to the caller either way. */
	p.setup_uid = c->user == USER_SELF ? uid : 0;
	p.setup_gid = c->user == USER_SELF ? gid : 0;
	*ret = p;
	return 0;
}

static char *uid_map_helpers[2];

/* Is the helper usable: found on PATH, setuid root? Sets *why when not. */
static bool helper_usable(const char *name, char **ret_path, const char **why)
{
	_cleanup_free_ char *path = helper_find(name);
	if (!path) {
		*why = "is not on PATH (install the 'uidmap' package)";
		return false;
	}
	struct stat st;
	if (stat(path, &st) < 0 || st.st_uid != 0 || !(st.st_mode & S_ISUID)) {
		*why = "is not setuid root (reinstall it: sudo apt-get install --reinstall uidmap)";
		return false;
	}
	*ret_path = STEAL_PTR(path);
	return true;
}

int idmap_prepare(const struct sandbox_config *c, struct idmap_plan *ret)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	struct passwd *pw = getpwuid(uid);
	const char *user = pw ? pw->pw_name : NULL;

	struct idmap_range subuid, subgid;
	bool have_uid = false, have_gid = false;
	_cleanup_free_ char *text_u = NULL, *text_g = NULL;
	if (read_file("/etc/subuid", &text_u) == 0)
		have_uid = idmap_find_subid(text_u, user, uid, &subuid) == 0;
	if (read_file("/etc/subgid", &text_g) == 0)
		have_gid = idmap_find_subid(text_g, user, uid, &subgid) == 0;

	bool use = have_uid && have_gid;
	const char *why = NULL;
	if (!use) {
		log_notice("no subordinate id range for '%s' in /etc/subuid and /etc/subgid: only "
			   "your own id is mapped inside (for a full range: sudo usermod "
			   "--add-subuids 100000-165535 --add-subgids 100000-165535 %s)",
			   user ? user : "you", user ? user : "$USER");
	} else if (!helper_usable("newuidmap", &uid_map_helpers[0], &why)) {
		log_notice("newuidmap %s: only your own id is mapped inside", why);
		use = false;
	} else if (!helper_usable("newgidmap", &uid_map_helpers[1], &why)) {
		log_notice("newgidmap %s: only your own id is mapped inside", why);
		use = false;
	}
	return idmap_plan(c, uid, gid, use ? &subuid : NULL, use ? &subgid : NULL, ret);
}

/* Start newuidmap/newgidmap PID inside outside count ...; stderr goes to @errfd. */
static pid_t spawn_helper(const char *helper, pid_t pid, const struct idmap_range *r, unsigned n,
			  int errfd)
{
	char *argv[2 + 3 * IDMAP_MAX_RANGES + 1];
	char buf[1 + 3 * IDMAP_MAX_RANGES][24];
	unsigned a = 0;
	argv[a++] = (char *)helper;
	snprintf(buf[0], sizeof(buf[0]), "%d", (int)pid);
	argv[a++] = buf[0];
	for (unsigned i = 0; i < n; i++) {
		snprintf(buf[1 + 3 * i], 24, "%lu", r[i].inside);
		snprintf(buf[2 + 3 * i], 24, "%lu", r[i].outside);
		snprintf(buf[3 + 3 * i], 24, "%lu", r[i].count);
		argv[a++] = buf[1 + 3 * i];
		argv[a++] = buf[2 + 3 * i];
		argv[a++] = buf[3 + 3 * i];
	}
	argv[a] = NULL;

	pid_t child = fork();
	if (child == 0) {
		dup2(errfd, STDOUT_FILENO);
		dup2(errfd, STDERR_FILENO);
		execv(helper, argv);
		_exit(127);
	}
	return child;
}

static int write_map_directly(pid_t pid, const char *file, const struct idmap_range *r, unsigned n)
{
	char path[64], text[256];
	size_t len = 0;
	for (unsigned i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%lu %lu %lu\n",
					r[i].inside, r[i].outside, r[i].count);
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	int r2 = write_file_at(AT_FDCWD, path, text);
	if (r2 < 0)
		return log_errno(r2, "cannot map ids: writing %s", path);
	return 0;
}

int idmap_write(pid_t pid, const struct idmap_plan *plan)
{
	if (!plan->use_helpers) {
		/* Without newgidmap an unprivileged writer must deny setgroups
		 * before gid_map can be written (user_namespaces(7)): otherwise a
		 * process could drop a group that was denying it access. */
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
		int r = write_file_at(AT_FDCWD, path, "deny");
		if (r < 0)
			return log_errno(r, "cannot map ids: writing %s", path);
		r = write_map_directly(pid, "uid_map", plan->uid, plan->n_uid);
		if (r < 0)
			return r;
		return write_map_directly(pid, "gid_map", plan->gid, plan->n_gid);
	}

	/* Both helpers at once: each is a setuid exec, the slowest step of startup. */
	int errpipe[2];
	if (pipe2(errpipe, O_CLOEXEC) < 0)
		return log_errno(-errno, "cannot map ids: pipe");
	pid_t u = spawn_helper(uid_map_helpers[0], pid, plan->uid, plan->n_uid, errpipe[1]);
	pid_t g = spawn_helper(uid_map_helpers[1], pid, plan->gid, plan->n_gid, errpipe[1]);
	close(errpipe[1]);
	char msg[1024];
	ssize_t n = read_all(errpipe[0], msg, sizeof(msg) - 1);
	close(errpipe[0]);
	msg[n > 0 ? n : 0] = '\0';
	for (ssize_t i = n - 1; i >= 0 && (msg[i] == '\n' || msg[i] == ' '); i--)
		msg[i] = '\0';

	int ok = 0;
	for (int i = 0; i < 2; i++) {
		pid_t p = i == 0 ? u : g;
		int status;
		if (p < 0 || waitpid(p, &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			ok = -EPERM;
	}
	if (u < 0 || g < 0)
		return log_errno(-errno, "cannot map ids: fork");
	if (ok < 0) {
		log_error("cannot map ids: newuidmap/newgidmap failed: %s",
			  *msg ? msg : "no message (is the helper setuid root?)");
		return ok;
	}
	return 0;
}

/* --- why a user namespace fails, and the fix --------------------------------- */

static char *apparmor_advice(const struct userns_facts *f)
{
	const char *installed = f->installed_exe;
	_cleanup_free_ char *other = NULL;
	if (f->exe && !streq(f->exe, installed))
		other = xasprintf(" (the shipped profile names %s; this binary is %s: change the "
				  "path on its 'profile sandbox' line to match)",
				  installed, f->exe);
	return xasprintf("the AppArmor policy of this machine restricts unprivileged user "
			 "namespaces (kernel.apparmor_restrict_unprivileged_userns=1): the "
			 "namespace is created without capabilities, so ids cannot be mapped and "
			 "nothing can be mounted. Allow sandbox with its AppArmor profile: sudo "
			 "install -m 644 %s /etc/apparmor.d/sandbox && sudo apparmor_parser -r "
			 "/etc/apparmor.d/sandbox%s",
			 f->apparmor_profile, other ? other : "");
}

char *userns_advice(const struct userns_facts *f)
{
	/* Under our own profile the restriction does not apply to us. */
	bool restricted = f->apparmor_restrict == 1 &&
			  !(f->apparmor_label && startswith(f->apparmor_label, "sandbox"));
	if (!f->clone_failed)
		return restricted ? apparmor_advice(f) : NULL;
	if (f->unprivileged_userns_clone == 0)
		return xstrdup("cannot create a user namespace: unprivileged user namespaces are "
			       "disabled on this machine (enable them: sudo sysctl -w "
			       "kernel.unprivileged_userns_clone=1)");
	if (f->max_user_namespaces == 0)
		return xstrdup("cannot create a user namespace: user.max_user_namespaces is 0 "
			       "(raise it: sudo sysctl -w user.max_user_namespaces=15000)");
	if (f->err == -ENOSPC || f->err == -EUSERS)
		return xstrdup("cannot create a user namespace: the limit of nested or per-user "
			       "namespaces is reached (user.max_user_namespaces)");
	if (restricted && (f->err == -EPERM || f->err == -EACCES))
		return apparmor_advice(f);
	return NULL;
}
