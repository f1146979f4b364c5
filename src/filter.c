/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * filter.c - the seccomp compiler: struct filter_rule list -> BPF programs
 * with libseccomp, in the outer process before any namespace exists, and
 * loading them (plain seccomp(2), no libseccomp) as the payload's last step.
 * Parsing and printing live in filter-parse.c.
 *
 * How rules merge ("last word wins" per syscall), exactly:
 *  1. Rules apply in the order they were written; a @group expands to its
 *     members, in the group's order, at the place it is written.
 *  2. For each syscall, an unconditional rule sets its base action and drops
 *     every conditional rule seen before it for that syscall.
 *  3. A conditional rule after that adds on top; one with exactly the same
 *     conditions as an earlier conditional rule replaces it.
 *  4. A syscall no rule names gets `syscall default` (allow when unset).
 *  5. When the conditions of several rules match one call, the strictest
 *     action wins (kill > trap > errno > log > allow), as the kernel does
 *     for stacked filters. A conditional rule that would loosen a base
 *     action set by a rule (not by the default) cannot be expressed and is
 *     an error: write the rule with the opposite condition instead.
 *
 * And, whatever the rules say:
 *  - clone3 fails with ENOSYS: its flags sit behind a pointer no filter can
 *    read, and on ENOSYS glibc falls back to clone, whose flags rules check.
 *  - when the default denies (an allow-list), syscall numbers above the
 *    highest this libseccomp knows fail with ENOSYS rather than the default,
 *    so libc treats a syscall too new for our tables as missing and falls back.
 *  - calls through another ABI (i386 int 0x80, x32) kill the process, unless
 *    `syscall arch all` adds this machine's other ABIs to the filter.
 *
 * How the programs are laid out: the main program holds the default, every
 * base action and the conditional rules that are looser than their base.
 * Conditional rules stricter than their base go to one extra program per
 * action (default allow), because libseccomp silently drops a conditional
 * rule for a syscall that already has an unconditional one. Extras are loaded
 * first and the main program last, so an allow-list never blocks the
 * seccomp(2) call that installs the next program.
 */
#include "config.h"

#include <linux/seccomp.h>
#include <seccomp.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <uthash.h>

#include "filter-internal.h"
#include "filter.h"

/* Syscall numbers scanned for the highest one libseccomp knows. */
#define FILTER_SCAN_MAX 1024
/* How far above that the allow-list answers ENOSYS: years of new syscalls. */
#define FILTER_ENOSYS_SPAN 128
/* Bound on rules one conditional rule may expand to (`& A|B|C` is one per bit). */
#define FILTER_MAX_EXPANSION   256
#define FILTER_MAX_GROUP_DEPTH 8

/* ---- merging ---------------------------------------------------------------- */

struct sys_entry {
	int nr; /* libseccomp's number; negative for syscalls of other arches */
	char name[64];
	bool has_base;
	struct filter_action base;
	const struct filter_rule **conds; /* conditional rules in effect, in order */
	size_t n_conds;
	UT_hash_handle hh;
};

static void merge_free(struct sys_entry **table)
{
	struct sys_entry *e, *tmp;
	HASH_ITER (hh, *table, e, tmp) {
		HASH_DEL(*table, e);
		free(e->conds);
		free(e);
	}
}

static bool same_conds(const struct filter_rule *a, const struct filter_rule *b)
{
	if (a->n_conds != b->n_conds)
		return false;
	for (unsigned k = 0; k < a->n_conds; k++)
		if (!filter_cond_equal(&a->conds[k], &b->conds[k]))
			return false;
	return true;
}

static void merge_one(struct sys_entry **table, const char *name, const struct filter_rule *r)
{
	int nr = seccomp_syscall_resolve_name(name);
	if (nr == __NR_SCMP_ERROR)
		return; /* a group member newer than this libseccomp: no rule can name it */
	struct sys_entry *e;
	HASH_FIND_INT(*table, &nr, e);
	if (!e) {
		e = xcalloc(1, sizeof(*e));
		e->nr = nr;
		snprintf(e->name, sizeof(e->name), "%s", name);
		HASH_ADD_INT(*table, nr, e);
	}
	if (r->n_conds == 0) {
		e->has_base = true;
		e->base = r->action;
		e->n_conds = 0;
		return;
	}
	size_t kept = 0;
	for (size_t i = 0; i < e->n_conds; i++)
		if (!same_conds(e->conds[i], r))
			e->conds[kept++] = e->conds[i];
	e->conds = xreallocarray(e->conds, kept + 1, sizeof(*e->conds));
	e->conds[kept++] = r;
	e->n_conds = kept;
}

static int merge_name(struct sys_entry **table, const char *name, const struct filter_rule *r,
		      unsigned depth)
{
	if (name[0] != '@') {
		merge_one(table, name, r);
		return 0;
	}
	const struct filter_group *g = filter_group_find(name);
	if (!g)
		return log_at(&r->loc, "unknown syscall group '%s'", name);
	if (depth >= FILTER_MAX_GROUP_DEPTH)
		return log_at(&r->loc, "syscall group '%s' nests too deep (a loop?)", name);
	for (const char *p = g->members + strspn(g->members, " "); *p; p += strspn(p, " ")) {
		char word[64];
		size_t len = strcspn(p, " ");
		if (len >= sizeof(word))
			return log_at(&r->loc, "group '%s' has an overlong member", name);
		memcpy(word, p, len);
		word[len] = '\0';
		p += len;
		int rc = merge_name(table, word, r, depth + 1);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- libseccomp contexts ------------------------------------------------------ */

struct filter_set {
	scmp_filter_ctx main;
	struct {
		struct filter_action action;
		scmp_filter_ctx ctx;
	} extra[FILTER_MAX_PARTS - 1];
	size_t n_extra;
};

static void filter_set_release(struct filter_set *s)
{
	if (s->main)
		seccomp_release(s->main);
	for (size_t i = 0; i < s->n_extra; i++)
		if (s->extra[i].ctx)
			seccomp_release(s->extra[i].ctx);
	*s = (struct filter_set){ 0 };
}

static uint32_t scmp_action(const struct filter_action *a)
{
	switch (a->kind) {
	case FILTER_ALLOW:
		return SCMP_ACT_ALLOW;
	case FILTER_LOG:
		return SCMP_ACT_LOG;
	case FILTER_ERRNO:
		return SCMP_ACT_ERRNO((uint32_t)a->errno_value);
	case FILTER_TRAP:
		return SCMP_ACT_TRAP;
	case FILTER_KILL:
		return SCMP_ACT_KILL_PROCESS;
	}
	return SCMP_ACT_KILL_PROCESS;
}

/*
 * Which ABIs a context filters: this machine's own, or (for `syscall arch
 * all`) the others, built apart and merged in, because libseccomp can add a
 * rule by raw number (the ENOSYS range) only to a single-arch filter.
 */
enum filter_abis {
	ABIS_NATIVE,
	ABIS_OTHERS,
};

static int new_ctx(const struct filter_action *def, enum filter_abis abis, scmp_filter_ctx *ret)
{
	scmp_filter_ctx ctx = seccomp_init(scmp_action(def));
	if (!ctx)
		return log_errno(-ENOMEM, "cannot create a seccomp filter");
	int rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (rc >= 0)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	/* A binary search over syscall numbers instead of a linear list. */
	if (rc >= 0)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (rc >= 0 && abis == ABIS_OTHERS) {
		rc = seccomp_arch_add(ctx, SCMP_ARCH_X86);
		if (rc >= 0)
			rc = seccomp_arch_add(ctx, SCMP_ARCH_X32);
		if (rc >= 0)
			rc = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
	}
	if (rc < 0) {
		seccomp_release(ctx);
		return log_errno(rc, "cannot set up the seccomp filter");
	}
	*ret = ctx;
	return 0;
}

/* The comparisons of one expansion of @r for @name, one per condition. */
struct cmp_list {
	struct scmp_arg_cmp cmp[FILTER_MAX_CONDS];
	unsigned n;
};

static int add_rule(scmp_filter_ctx ctx, const struct filter_action *action,
		    const struct sys_entry *e, const struct cmp_list *l,
		    const struct source_loc *loc)
{
	int rc = seccomp_rule_add_array(ctx, scmp_action(action), e->nr, l->n, l->cmp);
	/* Syscalls of other architectures have negative numbers; on a filter for
	 * this architecture alone libseccomp has nothing to add for them. */
	if (rc < 0 && e->nr < 0)
		return 0;
	if (rc < 0) {
		if (loc && loc->line + loc->column > 0)
			log_at(loc, "cannot add the seccomp rule for '%s': %s", e->name,
			       strerror(-rc));
		else
			log_errno(rc, "cannot add the seccomp rule for '%s'", e->name);
		return rc;
	}
	return 0;
}

/*
 * add_conditional() - add @r for @e, condition @k onwards. Conditions on the
 * low 32 bits of an argument the kernel reads as 32-bit; `& A|B` (any of
 * those bits) becomes one rule per bit, all with the same action.
 */
static int add_conditional(scmp_filter_ctx ctx, const struct sys_entry *e,
			   const struct filter_rule *r, unsigned k, struct cmp_list *l,
			   unsigned *budget)
{
	if (k == r->n_conds) {
		if ((*budget)-- == 0)
			return log_at(&r->loc, "this rule expands to more than %d filter rules",
				      FILTER_MAX_EXPANSION);
		return add_rule(ctx, &r->action, e, l, &r->loc);
	}
	const struct filter_cond *c = &r->conds[k];
	bool is32 = filter_arg_is_32bit(e->name, c->arg);
	uint64_t width = is32 ? UINT32_MAX : UINT64_MAX;
	struct scmp_arg_cmp *cmp = &l->cmp[l->n];
	*cmp = (struct scmp_arg_cmp){ .arg = c->arg };
	switch (c->op) {
	case FILTER_CMP_EQ:
		if (is32)
			*cmp = (struct scmp_arg_cmp){ c->arg, SCMP_CMP_MASKED_EQ, UINT32_MAX,
						      c->value & UINT32_MAX };
		else
			*cmp = (struct scmp_arg_cmp){ c->arg, SCMP_CMP_EQ, c->value, 0 };
		break;
	case FILTER_CMP_NE:
		*cmp = (struct scmp_arg_cmp){ c->arg, SCMP_CMP_NE, c->value, 0 };
		break;
	case FILTER_CMP_LT:
		*cmp = (struct scmp_arg_cmp){ c->arg, SCMP_CMP_LT, c->value, 0 };
		break;
	case FILTER_CMP_LE:
		*cmp = (struct scmp_arg_cmp){ c->arg, SCMP_CMP_LE, c->value, 0 };
		break;
	case FILTER_CMP_GT:
		*cmp = (struct scmp_arg_cmp){ c->arg, SCMP_CMP_GT, c->value, 0 };
		break;
	case FILTER_CMP_GE:
		*cmp = (struct scmp_arg_cmp){ c->arg, SCMP_CMP_GE, c->value, 0 };
		break;
	case FILTER_CMP_MASKED_EQ:
		*cmp = (struct scmp_arg_cmp){ c->arg, SCMP_CMP_MASKED_EQ, c->mask & width,
					      c->value & width };
		break;
	case FILTER_CMP_MASK_ANY: {
		uint64_t bits = c->value & width;
		for (unsigned b = 0; b < 64; b++) {
			if (!(bits & (UINT64_C(1) << b)))
				continue;
			l->cmp[l->n] = (struct scmp_arg_cmp){ c->arg, SCMP_CMP_MASKED_EQ,
							      UINT64_C(1) << b, UINT64_C(1) << b };
			l->n++;
			int rc = add_conditional(ctx, e, r, k + 1, l, budget);
			l->n--;
			if (rc < 0)
				return rc;
		}
		return 0;
	}
	}
	l->n++;
	int rc = add_conditional(ctx, e, r, k + 1, l, budget);
	l->n--;
	return rc;
}

static int extra_ctx(struct filter_set *s, const struct filter_action *action,
		     enum filter_abis abis, scmp_filter_ctx *ret)
{
	for (size_t i = 0; i < s->n_extra; i++)
		if (filter_action_equal(&s->extra[i].action, action)) {
			*ret = s->extra[i].ctx;
			return 0;
		}
	if (s->n_extra == ARRAY_SIZE(s->extra))
		return log_errno(-E2BIG, "too many different actions in conditional seccomp rules");
	static const struct filter_action allow = { FILTER_ALLOW, 0 };
	int rc = new_ctx(&allow, abis, &s->extra[s->n_extra].ctx);
	if (rc < 0)
		return rc;
	s->extra[s->n_extra].action = *action;
	*ret = s->extra[s->n_extra++].ctx;
	return 0;
}

static int emit_entry(struct filter_set *s, enum filter_abis abis, const struct filter_action *def,
		      const struct sys_entry *e)
{
	const struct filter_action *base = e->has_base ? &e->base : def;
	bool base_is_default = filter_action_equal(base, def);
	struct cmp_list none = { 0 };
	if (!base_is_default) {
		int rc = add_rule(s->main, base, e, &none, NULL);
		if (rc < 0)
			return rc;
	}
	for (size_t i = 0; i < e->n_conds; i++) {
		const struct filter_rule *r = e->conds[i];
		unsigned budget = FILTER_MAX_EXPANSION;
		struct cmp_list l = { 0 };
		scmp_filter_ctx ctx = s->main;
		if (filter_action_equal(&r->action, base))
			continue; /* says what the base already says */
		if (filter_action_rank(&r->action) > filter_action_rank(base)) {
			int rc = extra_ctx(s, &r->action, abis, &ctx);
			if (rc < 0)
				return rc;
		} else if (!base_is_default) {
			return log_at(&r->loc,
				      "this conditional rule would loosen an earlier unconditional "
				      "rule for '%s', which a seccomp filter cannot express; "
				      "write that earlier rule with the opposite condition instead",
				      e->name);
		}
		int rc = add_conditional(ctx, e, r, 0, &l, &budget);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int highest_known_syscall(void)
{
	int highest = -1;
	for (int nr = 0; nr < FILTER_SCAN_MAX; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		if (name)
			highest = nr;
		free(name);
	}
	return highest;
}

static int add_enosys_rules(struct filter_set *s, enum filter_abis abis,
			    const struct filter_action *def)
{
	static const struct filter_action enosys = { FILTER_ERRNO, ENOSYS };
	if (filter_action_equal(def, &enosys))
		return 0;
	int clone3 = seccomp_syscall_resolve_name("clone3");
	int rc = seccomp_rule_add(s->main, SCMP_ACT_ERRNO(ENOSYS), clone3, 0);
	if (rc < 0)
		return log_errno(rc, "cannot add the seccomp rule for 'clone3'");
	if (def->kind == FILTER_ALLOW || def->kind == FILTER_LOG || abis != ABIS_NATIVE)
		return 0;
	int highest = highest_known_syscall();
	for (int nr = highest + 1; nr <= highest + FILTER_ENOSYS_SPAN; nr++) {
		rc = seccomp_rule_add(s->main, SCMP_ACT_ERRNO(ENOSYS), nr, 0);
		if (rc < 0)
			return log_errno(rc, "cannot add the seccomp rule for syscall %d", nr);
	}
	return 0;
}

static int build_abis(const struct sys_entry *table, const struct filter_action *def,
		      enum filter_abis abis, struct filter_set *ret)
{
	_cleanup_(filter_set_release) struct filter_set s = { 0 };
	int rc = new_ctx(def, abis, &s.main);
	if (rc < 0)
		return rc;
	int clone3 = seccomp_syscall_resolve_name("clone3");
	for (const struct sys_entry *e = table; e; e = e->hh.next) {
		if (e->nr == clone3)
			continue; /* always ENOSYS, see the top of this file */
		rc = emit_entry(&s, abis, def, e);
		if (rc < 0)
			return rc;
	}
	rc = add_enosys_rules(&s, abis, def);
	if (rc < 0)
		return rc;
	*ret = s;
	s = (struct filter_set){ 0 };
	return 0;
}

/* merge_abis() - fold @others (consumed) into @s, context by context. */
static int merge_abis(struct filter_set *s, struct filter_set *others)
{
	int rc = seccomp_merge(s->main, others->main);
	if (rc < 0)
		return log_errno(rc, "cannot merge the seccomp filters of the other ABIs");
	others->main = NULL;
	for (size_t i = 0; i < others->n_extra; i++) {
		size_t j = 0;
		while (j < s->n_extra &&
		       !filter_action_equal(&s->extra[j].action, &others->extra[i].action))
			j++;
		if (j == s->n_extra)
			return log_errno(-EINVAL,
					 "the seccomp filters of the other ABIs do not match");
		rc = seccomp_merge(s->extra[j].ctx, others->extra[i].ctx);
		if (rc < 0)
			return log_errno(rc, "cannot merge the seccomp filters of the other ABIs");
		others->extra[i].ctx = NULL;
	}
	return 0;
}

/* filter_build() - the merged rules of @c as libseccomp contexts. */
static int filter_build(const struct sandbox_config *c, struct filter_set *ret)
{
	_cleanup_(merge_free) struct sys_entry *table = NULL;
	static const struct filter_action allow = { FILTER_ALLOW, 0 };
	const struct filter_action *def = c->have_default_action ? &c->default_action : &allow;

	for (size_t i = 0; i < c->n_rules; i++) {
		int rc = merge_name(&table, c->rules[i].name, &c->rules[i], 0);
		if (rc < 0)
			return rc;
	}
	_cleanup_(filter_set_release) struct filter_set s = { 0 };
	int rc = build_abis(table, def, ABIS_NATIVE, &s);
	if (rc < 0)
		return rc;
	if (c->allow_other_arches && seccomp_arch_native() == SCMP_ARCH_X86_64) {
		_cleanup_(filter_set_release) struct filter_set others = { 0 };
		rc = build_abis(table, def, ABIS_OTHERS, &others);
		if (rc < 0)
			return rc;
		rc = merge_abis(&s, &others);
		if (rc < 0)
			return rc;
	}
	*ret = s;
	s = (struct filter_set){ 0 };
	return 0;
}

/* The contexts in load order: extras first, the main filter last. */
static size_t filter_set_order(const struct filter_set *s, scmp_filter_ctx *out)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n_extra; i++)
		out[n++] = s->extra[i].ctx;
	out[n++] = s->main;
	return n;
}

/* ---- export, load, dump -------------------------------------------------------- */

typedef int (*export_fn)(const scmp_filter_ctx ctx, int fd);

/* Run @fn into a memfd and read back what it wrote. */
static int export_to_buffer(scmp_filter_ctx ctx, export_fn fn, char **ret, size_t *ret_len)
{
	_cleanup_close_ int fd = memfd_create("sandbox-seccomp", MFD_CLOEXEC);
	if (fd < 0)
		return log_errno(-errno, "cannot export the seccomp filter: memfd_create");
	int rc = fn(ctx, fd);
	if (rc < 0)
		return log_errno(rc, "cannot export the seccomp filter");
	struct stat st;
	if (fstat(fd, &st) < 0)
		return log_errno(-errno, "cannot export the seccomp filter: fstat");
	_cleanup_free_ char *buf = xmalloc((size_t)st.st_size + 1);
	ssize_t n = pread(fd, buf, (size_t)st.st_size, 0);
	if (n != st.st_size)
		return log_errno(n < 0 ? -errno : -EIO, "cannot read back the seccomp filter");
	buf[n] = '\0';
	*ret = STEAL_PTR(buf);
	*ret_len = (size_t)n;
	return 0;
}

int filter_compile(const struct sandbox_config *c, struct filter_program *ret)
{
	*ret = (struct filter_program){ 0 };
	_cleanup_(filter_set_release) struct filter_set s = { 0 };
	int rc = filter_build(c, &s);
	if (rc < 0)
		return rc;
	scmp_filter_ctx order[FILTER_MAX_PARTS];
	size_t n = filter_set_order(&s, order);
	struct filter_program p = { 0 };
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *buf = NULL;
		size_t len;
		rc = export_to_buffer(order[i], seccomp_export_bpf, &buf, &len);
		if (rc < 0) {
			filter_program_free(&p);
			return rc;
		}
		size_t insns = len / sizeof(struct sock_filter);
		p.insns = xreallocarray(p.insns, p.len + insns, sizeof(struct sock_filter));
		memcpy(p.insns + p.len, buf, insns * sizeof(struct sock_filter));
		p.len += insns;
		p.part_len[p.n_parts++] = insns;
	}
	*ret = p;
	return 0;
}

void filter_program_free(struct filter_program *p)
{
	free(p->insns);
	*p = (struct filter_program){ 0 };
}

int filter_load(const struct filter_program *p)
{
	size_t parts = p->n_parts ? p->n_parts : 1;
	size_t off = 0;
	if (p->len == 0)
		return 0;
	for (size_t i = 0; i < parts; i++) {
		size_t len = p->n_parts ? p->part_len[i] : p->len;
		struct sock_fprog prog = {
			.len = (unsigned short)len,
			.filter = p->insns + off,
		};
		if (len == 0 || len > BPF_MAXINSNS || off + len > p->len)
			return log_errno(-EINVAL, "cannot load seccomp filter %zu of %zu", i + 1,
					 parts);
		long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
		if (r < 0 && errno == ENOSYS)
			r = prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
		if (r < 0)
			return log_errno(-errno, "cannot load seccomp filter %zu of %zu", i + 1,
					 parts);
		off += len;
	}
	return 0;
}

int filter_dump(const struct sandbox_config *c, FILE *f)
{
	_cleanup_(filter_set_release) struct filter_set s = { 0 };
	int rc = filter_build(c, &s);
	if (rc < 0)
		return rc;
	scmp_filter_ctx order[FILTER_MAX_PARTS];
	size_t n = filter_set_order(&s, order);
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *buf = NULL;
		size_t len;
		rc = export_to_buffer(order[i], seccomp_export_pfc, &buf, &len);
		if (rc < 0)
			return rc;
		fprintf(f, "# program %zu of %zu, %s\n", i + 1, n,
			i + 1 < n ? "conditional rules stricter than their syscall's action"
				  : "the main filter");
		fwrite(buf, 1, len, f);
	}
	return 0;
}
