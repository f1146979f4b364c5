/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * filter-parse.c - the pure half of the seccomp module: `syscall ...`
 * directive words to struct filter_rule (validated: names, groups, errnos,
 * constants, argument widths), the group and constant tables, and printing
 * the rules back as profile lines that parse to the same rules.
 *
 * It makes no syscalls and never builds a filter; filter.c does that.
 * libseccomp is used here only to resolve syscall names.
 */
#include "config.h"

#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <seccomp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include "filter-internal.h"
#include "filter.h"

/* ---- tables --------------------------------------------------------------- */

static const struct filter_group groups[] = {
#define FILTER_GROUP(name, description, members) { name, description, members },
#include "filter-groups.def"
#undef FILTER_GROUP
};

const struct filter_group *filter_groups(size_t *ret_n)
{
	*ret_n = ARRAY_SIZE(groups);
	return groups;
}

const struct filter_group *filter_group_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(groups); i++)
		if (streq(groups[i].name, name))
			return &groups[i];
	return NULL;
}

static unsigned arg_bits(const int *list)
{
	unsigned bits = 0;
	for (; *list >= 0; list++)
		bits |= 1u << *list;
	return bits;
}

bool filter_arg_is_32bit(const char *syscall, unsigned arg)
{
	static const struct {
		const char *syscall;
		int args[7];
	} table[] = {
#define FILTER_ARG32(name, ...) { #name, { __VA_ARGS__, -1 } },
#include "filter-args32.def"
#undef FILTER_ARG32
	};
	for (size_t i = 0; i < ARRAY_SIZE(table); i++)
		if (streq(table[i].syscall, syscall))
			return arg_bits(table[i].args) & (1u << arg);
	return false;
}

struct named_const {
	const char *name;
	uint64_t value;
};

/* Sign-extend through int64_t so AT_FDCWD (-100) reads as the register does. */
static struct named_const consts[] = {
#define FILTER_CONST(name) { #name, (uint64_t)(int64_t)(name) },
#include "filter-consts.def"
#undef FILTER_CONST
};

static int const_cmp(const void *a, const void *b)
{
	return strcmp(((const struct named_const *)a)->name, ((const struct named_const *)b)->name);
}

static const struct named_const *const_find(const char *name)
{
	static bool sorted;
	if (!sorted) {
		qsort(consts, ARRAY_SIZE(consts), sizeof(consts[0]), const_cmp);
		sorted = true;
	}
	struct named_const key = { .name = name };
	return bsearch(&key, consts, ARRAY_SIZE(consts), sizeof(consts[0]), const_cmp);
}

/* ---- did you mean ---------------------------------------------------------- */

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return SIZE_MAX;
	size_t row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

struct suggestion {
	const char *word;
	char *best;
	size_t distance;
};

static void suggest_consider(struct suggestion *s, const char *candidate)
{
	size_t d = edit_distance(s->word, candidate);
	size_t limit = strlen(s->word) / 3 + 1;
	if (d <= limit && d < s->distance) {
		free(s->best);
		s->best = xstrdup(candidate);
		s->distance = d;
	}
}

/* Highest syscall number worth scanning for names: above every table libseccomp has. */
#define FILTER_SCAN_MAX 1024

static char *suggest_syscall(const char *word)
{
	struct suggestion s = { .word = word, .distance = SIZE_MAX };
	for (int nr = 0; nr < FILTER_SCAN_MAX; nr++) {
		_cleanup_free_ char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		if (name)
			suggest_consider(&s, name);
	}
	return s.best;
}

static char *suggest_group(const char *word)
{
	struct suggestion s = { .word = word, .distance = SIZE_MAX };
	for (size_t i = 0; i < ARRAY_SIZE(groups); i++)
		suggest_consider(&s, groups[i].name);
	return s.best;
}

static char *suggest_const(const char *word)
{
	struct suggestion s = { .word = word, .distance = SIZE_MAX };
	for (size_t i = 0; i < ARRAY_SIZE(consts); i++)
		suggest_consider(&s, consts[i].name);
	return s.best;
}

/* "; did you mean 'x'?" or "", for the end of a message. */
static const char *hint(char *best, char *buf, size_t size)
{
	if (best)
		snprintf(buf, size, "; did you mean '%s'?", best);
	else
		buf[0] = '\0';
	free(best);
	return buf;
}

/* ---- words ----------------------------------------------------------------- */

static bool is_action_word(const char *w)
{
	return streq(w, "errno") || streq(w, "kill") || streq(w, "log") || streq(w, "trap") ||
	       streq(w, "if");
}

static int parse_errno_word(const char *w, const struct source_loc *loc, int *ret)
{
	unsigned long n;
	if (parse_uint(w, 4095, &n) == 0 && n > 0) {
		*ret = (int)n;
		return 0;
	}
	for (int e = 1; e < 4096; e++) {
		const char *name = strerrorname_np(e);
		if (name && streq(name, w)) {
			*ret = e;
			return 0;
		}
	}
	return log_at(loc, "unknown errno '%s'; expected a name like EPERM or a number 1-4095", w);
}

/*
 * parse_number() - a decimal, 0x hex or 0 octal number, or a negative decimal
 * (two's complement in 64 bits, as a sign-extended register holds it).
 */
static bool parse_number(const char *s, uint64_t *ret)
{
	if (!*s)
		return false;
	char *end;
	errno = 0;
	if (s[0] == '-') {
		long long v = strtoll(s, &end, 10);
		if (errno || *end || end == s + 1)
			return false;
		*ret = (uint64_t)v;
		return true;
	}
	if (s[0] < '0' || s[0] > '9')
		return false;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end)
		return false;
	*ret = v;
	return true;
}

/* A VALUE word: numbers and constants joined by '|'. */
static int parse_value_word(const char *w, const struct source_loc *loc, uint64_t *ret)
{
	_cleanup_free_ char *copy = xstrdup(w);
	uint64_t v = 0;
	char *save = NULL;
	if (!*w || w[0] == '|' || w[strlen(w) - 1] == '|' || strstr(w, "||"))
		return log_at(loc, "bad value '%s'; expected a number or constants joined by '|'",
			      w);
	for (char *part = strtok_r(copy, "|", &save); part; part = strtok_r(NULL, "|", &save)) {
		uint64_t n;
		if (parse_number(part, &n)) {
			v |= n;
			continue;
		}
		const struct named_const *k = const_find(part);
		if (!k) {
			char buf[128];
			return log_at(loc, "unknown constant '%s'%s", part,
				      hint(suggest_const(part), buf, sizeof(buf)));
		}
		v |= k->value;
	}
	*ret = v;
	return 0;
}

static const struct {
	const char *word;
	enum filter_cmp op;
} ops[] = {
	{ "==", FILTER_CMP_EQ },      { "!=", FILTER_CMP_NE }, { "<", FILTER_CMP_LT },
	{ "<=", FILTER_CMP_LE },      { ">", FILTER_CMP_GT },  { ">=", FILTER_CMP_GE },
	{ "&", FILTER_CMP_MASK_ANY },
};

/* Parse "argN OP VALUE [and ...]" from word @i on; fills @r. */
static int parse_conditions(const struct directive_args *a, size_t i, struct filter_rule *r)
{
	for (;;) {
		struct filter_cond cond = { 0 };
		const char *w = a->words[i];
		unsigned long n;
		const char *num = w ? startswith(w, "arg") : NULL;
		if (!num || parse_uint(num, 5, &n) < 0)
			return log_at(i < a->n ? &a->locs[i] : &a->loc,
				      "expected arg0 to arg5 after '%s', got '%s'", a->words[i - 1],
				      w ? w : "end of line");
		cond.arg = (unsigned)n;
		for (unsigned k = 0; k < r->n_conds; k++)
			if (r->conds[k].arg == cond.arg)
				return log_at(&a->locs[i], "arg%u is already checked in this rule",
					      cond.arg);
		if (++i >= a->n)
			return log_at(&a->locs[i - 1], "expected an operator after '%s'", w);
		size_t k;
		for (k = 0; k < ARRAY_SIZE(ops); k++)
			if (streq(ops[k].word, a->words[i]))
				break;
		if (k == ARRAY_SIZE(ops))
			return log_at(&a->locs[i],
				      "unknown operator '%s'; expected ==, !=, <, <=, >, >= or &",
				      a->words[i]);
		cond.op = ops[k].op;
		if (++i >= a->n)
			return log_at(&a->locs[i - 1], "expected a value after '%s'",
				      a->words[i - 1]);
		int rc = parse_value_word(a->words[i], &a->locs[i], &cond.value);
		if (rc < 0)
			return rc;
		i++;
		if (cond.op == FILTER_CMP_MASK_ANY && i < a->n && streq(a->words[i], "==")) {
			/* `argN & MASK == VALUE` */
			cond.op = FILTER_CMP_MASKED_EQ;
			cond.mask = cond.value;
			if (++i >= a->n)
				return log_at(&a->locs[i - 1], "expected a value after '=='");
			rc = parse_value_word(a->words[i], &a->locs[i], &cond.value);
			if (rc < 0)
				return rc;
			if (cond.value & ~cond.mask)
				return log_at(&a->locs[i],
					      "'%s' has bits outside the mask, "
					      "so it can never match",
					      a->words[i]);
			i++;
		} else if (cond.op == FILTER_CMP_MASK_ANY && cond.value == 0) {
			return log_at(&a->locs[i - 1], "'& 0' can never match");
		}
		r->conds[r->n_conds++] = cond;
		if (i >= a->n)
			return 0;
		if (!streq(a->words[i], "and") || i + 1 >= a->n)
			return log_at(&a->locs[i], "expected 'and' and another condition, got '%s'",
				      a->words[i]);
		i++;
	}
}

static bool fits_32bit(uint64_t v)
{
	/* a 32-bit value, or a negative int as a sign-extended register holds it */
	return v <= UINT32_MAX || ((int64_t)v < 0 && (int64_t)v >= INT32_MIN);
}

/*
 * check_width() - a rule on a 32-bit argument is compiled on its low 32 bits
 * (==, &, & MASK ==). Ordering operators cannot be, and != only errs on the
 * safe side in a rule that denies, so those are refused up front rather than
 * compiled into a rule the upper bits of the register could side-step.
 */
static int check_width(const char *syscall, const struct filter_rule *r,
		       const struct source_loc *loc)
{
	for (unsigned k = 0; k < r->n_conds; k++) {
		const struct filter_cond *c = &r->conds[k];
		if (!filter_arg_is_32bit(syscall, c->arg))
			continue;
		bool permits = r->action.kind == FILTER_ALLOW || r->action.kind == FILTER_LOG;
		bool ordering = c->op == FILTER_CMP_LT || c->op == FILTER_CMP_LE ||
				c->op == FILTER_CMP_GT || c->op == FILTER_CMP_GE;
		if (ordering || (c->op == FILTER_CMP_NE && permits))
			return log_at(loc,
				      "arg%u of %s is a 32-bit integer: only ==, &, "
				      "'& MASK ==' and (in a deny rule) != can be checked "
				      "on it without its upper bits side-stepping the rule",
				      c->arg, syscall);
		if (!fits_32bit(c->value) || !fits_32bit(c->mask))
			return log_at(loc,
				      "value 0x%" PRIx64 " does not fit arg%u of %s, "
				      "which the kernel reads as a 32-bit integer",
				      c->value, c->arg, syscall);
	}
	return 0;
}

static int parse_action(const struct directive_args *a, size_t *i, struct filter_action *ret)
{
	const char *w = a->words[*i];
	if (streq(w, "allow")) {
		*ret = (struct filter_action){ FILTER_ALLOW, 0 };
	} else if (streq(w, "kill")) {
		*ret = (struct filter_action){ FILTER_KILL, 0 };
	} else if (streq(w, "log")) {
		*ret = (struct filter_action){ FILTER_LOG, 0 };
	} else if (streq(w, "trap")) {
		*ret = (struct filter_action){ FILTER_TRAP, 0 };
	} else if (streq(w, "errno")) {
		if (*i + 1 >= a->n)
			return log_at(&a->locs[*i],
				      "expected an errno name or number after 'errno'");
		(*i)++;
		*ret = (struct filter_action){ FILTER_ERRNO, 0 };
		int rc = parse_errno_word(a->words[*i], &a->locs[*i], &ret->errno_value);
		if (rc < 0)
			return rc;
	} else {
		return log_at(&a->locs[*i],
			      "unknown action '%s'; expected allow, errno E, kill, log or trap", w);
	}
	(*i)++;
	return 0;
}

static int check_name(const char *w, const struct source_loc *loc)
{
	char buf[128];
	if (w[0] == '@') {
		if (!filter_group_find(w))
			return log_at(loc, "unknown syscall group '%s'%s", w,
				      hint(suggest_group(w), buf, sizeof(buf)));
		return 0;
	}
	if (seccomp_syscall_resolve_name(w) == __NR_SCMP_ERROR)
		return log_at(loc, "unknown syscall '%s'%s", w,
			      hint(suggest_syscall(w), buf, sizeof(buf)));
	return 0;
}

static int parse_rule(struct sandbox_config *c, const struct directive_args *a)
{
	bool allow = streq(a->words[0], "allow");
	size_t i = 1, first = 1;
	while (i < a->n && !is_action_word(a->words[i])) {
		int rc = check_name(a->words[i], &a->locs[i]);
		if (rc < 0)
			return rc;
		i++;
	}
	size_t end_names = i;
	if (end_names == first)
		return log_at(i < a->n ? &a->locs[i] : &a->locs[0],
			      "expected a syscall name or @group after '%s'", a->words[0]);

	struct filter_rule proto = {
		.action = allow ? (struct filter_action){ FILTER_ALLOW, 0 }
				: (struct filter_action){ FILTER_ERRNO, EPERM },
	};
	if (i < a->n && !streq(a->words[i], "if")) {
		size_t at = i;
		int rc = parse_action(a, &i, &proto.action);
		if (rc < 0)
			return rc;
		if (allow && proto.action.kind != FILTER_LOG)
			return log_at(&a->locs[at],
				      "'allow' takes only 'log'; write 'deny NAME %s'",
				      a->words[at]);
		bool permits = proto.action.kind == FILTER_LOG || proto.action.kind == FILTER_ALLOW;
		if (!allow && permits)
			return log_at(&a->locs[at],
				      "'deny' takes errno E, kill or trap; write 'allow NAME log'");
	}
	if (i < a->n) {
		if (!streq(a->words[i], "if"))
			return log_at(&a->locs[i], "unexpected '%s'; expected 'if' and a condition",
				      a->words[i]);
		if (i + 1 >= a->n)
			return log_at(&a->locs[i], "expected a condition after 'if'");
		int rc = parse_conditions(a, i + 1, &proto);
		if (rc < 0)
			return rc;
	}

	for (i = first; i < end_names; i++) {
		if (proto.n_conds > 0 && a->words[i][0] == '@')
			return log_at(&a->locs[i],
				      "argument conditions need syscall names: the arguments of "
				      "the syscalls in '%s' mean different things",
				      a->words[i]);
		if (proto.n_conds > 0) {
			int rc = check_width(a->words[i], &proto, &a->locs[i]);
			if (rc < 0)
				return rc;
		}
	}
	/* Only now, when the whole line is valid, does it change the config. */
	for (i = first; i < end_names; i++) {
		struct filter_rule *r = config_add_rule(c);
		*r = proto;
		r->name = xstrdup(a->words[i]);
		r->loc = a->locs[i];
	}
	return 0;
}

int filter_directive(struct sandbox_config *c, const struct directive_args *a)
{
	if (a->n == 0)
		return log_at(&a->loc, "expected allow, deny, default or arch after '%s'", a->name);
	const char *verb = a->words[0];
	if (streq(verb, "allow") || streq(verb, "deny"))
		return parse_rule(c, a);
	if (streq(verb, "default")) {
		size_t i = 1;
		struct filter_action action;
		if (a->n < 2)
			return log_at(&a->locs[0], "expected an action after 'default'");
		int rc = parse_action(a, &i, &action);
		if (rc < 0)
			return rc;
		if (i < a->n)
			return log_at(&a->locs[i], "unexpected '%s' after the default action",
				      a->words[i]);
		c->have_default_action = true;
		c->default_action = action;
		return 0;
	}
	if (streq(verb, "arch")) {
		if (a->n != 2 || !(streq(a->words[1], "native") || streq(a->words[1], "all")))
			return log_at(a->n > 1 ? &a->locs[1] : &a->locs[0],
				      "expected 'native' or 'all' after 'arch'");
		c->allow_other_arches = streq(a->words[1], "all");
		return 0;
	}
	return log_at(&a->locs[0], "unknown word '%s'; expected allow, deny, default or arch",
		      verb);
}

/* ---- printing ------------------------------------------------------------- */

int filter_action_rank(const struct filter_action *a)
{
	switch (a->kind) {
	case FILTER_ALLOW:
		return 0;
	case FILTER_LOG:
		return 1;
	case FILTER_ERRNO:
		return 2;
	case FILTER_TRAP:
		return 3;
	case FILTER_KILL:
		return 4;
	}
	return 4;
}

bool filter_cond_equal(const struct filter_cond *a, const struct filter_cond *b)
{
	return a->arg == b->arg && a->op == b->op && a->value == b->value && a->mask == b->mask;
}

bool filter_action_equal(const struct filter_action *a, const struct filter_action *b)
{
	return a->kind == b->kind && (a->kind != FILTER_ERRNO || a->errno_value == b->errno_value);
}

static void print_errno(int e, FILE *f)
{
	const char *name = strerrorname_np(e);
	if (name)
		fputs(name, f);
	else
		fprintf(f, "%d", e);
}

void filter_print_action(const struct filter_action *a, FILE *f)
{
	switch (a->kind) {
	case FILTER_ALLOW:
		break;
	case FILTER_LOG:
		fputs(" log", f);
		break;
	case FILTER_ERRNO:
		fputs(" errno ", f);
		print_errno(a->errno_value, f);
		break;
	case FILTER_KILL:
		fputs(" kill", f);
		break;
	case FILTER_TRAP:
		fputs(" trap", f);
		break;
	}
}

static void print_conds(const struct filter_rule *r, FILE *f)
{
	for (unsigned k = 0; k < r->n_conds; k++) {
		const struct filter_cond *c = &r->conds[k];
		fprintf(f, " %s arg%u ", k == 0 ? "if" : "and", c->arg);
		if (c->op == FILTER_CMP_MASKED_EQ) {
			fprintf(f, "& 0x%" PRIx64 " == 0x%" PRIx64, c->mask, c->value);
			continue;
		}
		for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
			if (ops[i].op == c->op)
				fprintf(f, "%s 0x%" PRIx64, ops[i].word, c->value);
	}
}

static bool same_shape(const struct filter_rule *a, const struct filter_rule *b)
{
	if (!filter_action_equal(&a->action, &b->action) || a->n_conds != b->n_conds)
		return false;
	for (unsigned k = 0; k < a->n_conds; k++)
		if (!filter_cond_equal(&a->conds[k], &b->conds[k]))
			return false;
	return true;
}

void filter_print_rules(const struct sandbox_config *c, FILE *f)
{
	if (c->have_default_action) {
		fputs("syscall default", f);
		if (c->default_action.kind == FILTER_ALLOW)
			fputs(" allow", f);
		else
			filter_print_action(&c->default_action, f);
		fputc('\n', f);
	}
	fprintf(f, "syscall arch %s\n", c->allow_other_arches ? "all" : "native");
	for (size_t i = 0; i < c->n_rules;) {
		const struct filter_rule *r = &c->rules[i];
		bool permits = r->action.kind == FILTER_ALLOW || r->action.kind == FILTER_LOG;
		fprintf(f, "syscall %s", permits ? "allow" : "deny");
		/* Consecutive rules of the same shape came from one line: print them as one. */
		size_t j = i;
		for (; j < c->n_rules && same_shape(r, &c->rules[j]); j++)
			fprintf(f, " %s", c->rules[j].name);
		filter_print_action(&r->action, f);
		print_conds(r, f);
		fputc('\n', f);
		i = j;
	}
}

void filter_print_groups(FILE *f)
{
	for (size_t i = 0; i < ARRAY_SIZE(groups); i++)
		fprintf(f, "%s\t# %s\n\t%s\n", groups[i].name, groups[i].description,
			groups[i].members);
}
