/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-filter.c - the seccomp compiler: directive errors with their exact
 * messages, the merge rule, groups, the shipped building blocks, golden
 * checks on the PFC dump, printing rules back, and (in a forked child) that
 * a loaded filter answers the way the dump says.
 */
#include "config.h"

#include <errno.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "filter-internal.h"
#include "filter.h"
#include "tap.h"

static char *last_log;

/* Apply `syscall TEXT` as if it were line @line of test.profile. */
static int apply_at(struct sandbox_config *c, unsigned line, const char *text)
{
	char *words[64];
	struct source_loc locs[64];
	size_t n = 0;
	_cleanup_free_ char *copy = xstrdup(text);
	char *log = NULL;
	size_t log_len = 0;
	FILE *logf = open_memstream(&log, &log_len);

	for (char *p = copy; *p && n < 63;) {
		while (*p == ' ')
			*p++ = '\0';
		if (!*p)
			break;
		words[n] = p;
		/* columns as in "syscall TEXT": the word's offset after "syscall " */
		locs[n] = (struct source_loc){ "test.profile", line, (unsigned)(p - copy) + 9 };
		n++;
		while (*p && *p != ' ')
			p++;
	}
	words[n] = NULL;
	struct directive_args a = {
		.name = "syscall",
		.words = words,
		.locs = locs,
		.n = n,
		.loc = { "test.profile", line, 1 },
	};
	log_set_stream(logf);
	int rc = filter_directive(c, &a);
	log_set_stream(NULL);
	fclose(logf);
	if (log_len && log[log_len - 1] == '\n')
		log[log_len - 1] = '\0';
	free(last_log);
	last_log = log;
	return rc;
}

static int apply(struct sandbox_config *c, const char *text)
{
	return apply_at(c, 1, text);
}

/* Apply several lines; the test fails loudly if one does not parse. */
static void apply_lines(struct sandbox_config *c, const char *const *lines)
{
	for (unsigned i = 0; lines[i]; i++)
		if (apply_at(c, i + 1, lines[i]) < 0)
			printf("# line '%s' failed: %s\n", lines[i], last_log);
}

static char *dump(const struct sandbox_config *c)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	char *log = NULL;
	size_t log_len = 0;
	FILE *logf = open_memstream(&log, &log_len);
	log_set_stream(logf);
	int rc = filter_dump(c, f);
	log_set_stream(NULL);
	fclose(logf);
	fclose(f);
	if (log_len && log[log_len - 1] == '\n')
		log[log_len - 1] = '\0';
	free(last_log);
	last_log = log;
	if (rc < 0) {
		free(out);
		return NULL;
	}
	return out;
}

static char *print_rules(const struct sandbox_config *c)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	filter_print_rules(c, f);
	fclose(f);
	return out;
}

/* The part of @pfc that handles syscall @name: from its comment to the next one. */
static char *pfc_section(const char *pfc, const char *name, int which)
{
	if (!pfc)
		return xstrdup("");
	char key[80];
	snprintf(key, sizeof(key), "# filter for syscall \"%s\"", name);
	const char *p = pfc;
	for (int i = 0; p && i <= which; i++) {
		p = strstr(p, key);
		if (p && i < which)
			p += strlen(key);
	}
	if (!p)
		return xstrdup("");
	const char *end = strstr(p + strlen(key), "# ");
	return end ? xstrndup(p, (size_t)(end - p)) : xstrdup(p);
}

static void test_errors(void)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
		{ "deny ptrce",
		  "test.profile:1:14: unknown syscall 'ptrce'; did you mean 'ptrace'?" },
		{ "allow @basic-oi",
		  "test.profile:1:15: unknown syscall group '@basic-oi'; did you mean "
		  "'@basic-io'?" },
		{ "allow @nonsense-xyz",
		  "test.profile:1:15: unknown syscall group '@nonsense-xyz'" },
		{ "deny ioctl if arg1 == TIOCST",
		  "test.profile:1:31: unknown constant 'TIOCST'; did you mean 'TIOCSTI'?" },
		{ "deny clone if arg0 & CLONE_NEWUSER|CLONE_NEWFOO",
		  "test.profile:1:30: unknown constant 'CLONE_NEWFOO'; did you mean "
		  "'CLONE_NEWIPC'?" },
		{ "deny ioctl if arg7 == 1",
		  "test.profile:1:23: expected arg0 to arg5 after 'if', got 'arg7'" },
		{ "deny ioctl if argx == 1",
		  "test.profile:1:23: expected arg0 to arg5 after 'if', got 'argx'" },
		{ "deny ptrace errno EPERMM",
		  "test.profile:1:27: unknown errno 'EPERMM'; expected a name like EPERM or a "
		  "number 1-4095" },
		{ "deny ptrace errno 5000",
		  "test.profile:1:27: unknown errno '5000'; expected a name like EPERM or a "
		  "number 1-4095" },
		{ "deny ptrace errno",
		  "test.profile:1:21: expected an errno name or number after 'errno'" },
		{ "deny ioctl if arg1 =~ 5",
		  "test.profile:1:28: unknown operator '=~'; expected ==, !=, <, <=, >, >= or &" },
		{ "deny ioctl if arg1 ==", "test.profile:1:28: expected a value after '=='" },
		{ "deny ioctl if arg1 == 0x12zz", "test.profile:1:31: unknown constant '0x12zz'" },
		{ "deny ioctl if arg1 == 1 or arg2 == 3",
		  "test.profile:1:33: expected 'and' and another condition, got 'or'" },
		{ "deny ioctl if arg1 == 1 and arg1 == 3",
		  "test.profile:1:37: arg1 is already checked in this rule" },
		{ "deny ioctl if arg1 > 5",
		  "test.profile:1:14: arg1 of ioctl is a 32-bit integer: only ==, &, '& MASK ==' "
		  "and (in a deny rule) != can be checked on it without its upper bits "
		  "side-stepping the rule" },
		{ "allow socket if arg0 != AF_UNIX",
		  "test.profile:1:15: arg0 of socket is a 32-bit integer: only ==, &, '& MASK "
		  "==' and (in a deny rule) != can be checked on it without its upper bits "
		  "side-stepping the rule" },
		{ "deny ioctl if arg1 == 0x100005412",
		  "test.profile:1:14: value 0x100005412 does not fit arg1 of ioctl, which the "
		  "kernel reads as a 32-bit integer" },
		{ "deny @mount if arg0 == 1",
		  "test.profile:1:14: argument conditions need syscall names: the arguments of "
		  "the syscalls in '@mount' mean different things" },
		{ "deny clone if arg0 & 0", "test.profile:1:30: '& 0' can never match" },
		{ "deny clone if arg0 & 0xf0 == 0x1",
		  "test.profile:1:38: '0x1' has bits outside the mask, so it can never match" },
		{ "allow ptrace errno EPERM",
		  "test.profile:1:22: 'allow' takes only 'log'; write 'deny NAME errno'" },
		{ "deny ptrace log",
		  "test.profile:1:21: 'deny' takes errno E, kill or trap; write 'allow NAME log'" },
		{ "deny ptrace if", "test.profile:1:21: expected a condition after 'if'" },
		{ "deny errno EPERM",
		  "test.profile:1:14: expected a syscall name or @group after 'deny'" },
		{ "default maybe",
		  "test.profile:1:17: unknown action 'maybe'; expected allow, errno E, kill, log "
		  "or trap" },
		{ "default errno EPERM now",
		  "test.profile:1:29: unexpected 'now' after the default action" },
		{ "arch sparc", "test.profile:1:14: expected 'native' or 'all' after 'arch'" },
		{ "permit ptrace", "test.profile:1:9: unknown word 'permit'; expected allow, deny, "
				   "default or arch" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct sandbox_config c;
		config_init(&c);
		int rc = apply(&c, cases[i].text);
		is_int(rc, -EINVAL, "'%s' is refused", cases[i].text);
		is_str(last_log, cases[i].message, "'%s' says what is wrong and where",
		       cases[i].text);
		is_int(c.n_rules, 0, "'%s' leaves no rule behind", cases[i].text);
		config_free(&c);
	}
}

static void test_parse(void)
{
	struct sandbox_config c;
	config_init(&c);
	is_int(apply(&c, "deny ptrace process_vm_readv errno EACCES"), 0,
	       "a deny rule with two names parses");
	is_int(c.n_rules, 2, "one rule per name");
	is_str(c.rules[1].name, "process_vm_readv", "in order");
	ok(c.rules[0].action.kind == FILTER_ERRNO && c.rules[0].action.errno_value == EACCES,
	   "errno EACCES is kept");
	is_int(c.rules[1].loc.column, 21, "each rule remembers its word's column");

	is_int(apply(&c, "deny bpf"), 0, "deny without an action");
	ok(c.rules[2].action.kind == FILTER_ERRNO && c.rules[2].action.errno_value == EPERM,
	   "deny without an action means errno EPERM");
	is_int(apply(&c, "deny kexec_load kill"), 0, "deny ... kill");
	is_int(c.rules[3].action.kind, FILTER_KILL, "kill");
	is_int(apply(&c, "allow getpid log"), 0, "allow ... log");
	is_int(c.rules[4].action.kind, FILTER_LOG, "log");
	is_int(apply(&c, "deny ptrace errno 13"), 0, "an errno by number");
	is_int(c.rules[5].action.errno_value, 13, "errno 13");

	is_int(apply(&c, "deny clone if arg0 & CLONE_NEWUSER|CLONE_NEWNS|0x10"), 0,
	       "constants combine with |");
	struct filter_rule *r = &c.rules[c.n_rules - 1];
	ok(r->n_conds == 1 && r->conds[0].op == FILTER_CMP_MASK_ANY &&
		   r->conds[0].value == (uint64_t)(CLONE_NEWUSER | CLONE_NEWNS | 0x10),
	   "'& A|B' is any-of-these-bits");
	is_int(apply(&c, "deny open if arg1 & O_ACCMODE == O_WRONLY and arg2 == 0644"), 0,
	       "a masked compare and an octal value");
	r = &c.rules[c.n_rules - 1];
	ok(r->n_conds == 2 && r->conds[0].op == FILTER_CMP_MASKED_EQ && r->conds[0].mask == 3 &&
		   r->conds[0].value == 1 && r->conds[1].value == 0644,
	   "& MASK == VALUE and 0644 read right");
	is_int(apply(&c, "deny openat if arg0 == AT_FDCWD"), 0, "a negative constant");
	is_int(apply(&c, "deny socket if arg0 != AF_UNIX"), 0,
	       "!= on a 32-bit argument in a deny rule");
	is_int(apply(&c, "deny mmap if arg2 & PROT_WRITE|PROT_EXEC == PROT_WRITE|PROT_EXEC"), 0,
	       "W^X as a masked compare");
	is_int(apply(&c, "deny chown32 _llseek"), 0, "names of other architectures are known");
	is_int(apply(&c, "default errno ENOSYS"), 0, "default errno");
	ok(c.have_default_action && c.default_action.kind == FILTER_ERRNO &&
		   c.default_action.errno_value == ENOSYS,
	   "the default is set");
	is_int(apply(&c, "default allow"), 0, "default allow");
	is_int(c.default_action.kind, FILTER_ALLOW, "the last default wins");
	is_int(apply(&c, "arch all"), 0, "arch all");
	ok(c.allow_other_arches, "arch all opts in");
	is_int(apply(&c, "arch native"), 0, "arch native");
	ok(!c.allow_other_arches, "arch native opts out again");
	config_free(&c);
}

static void test_merge(void)
{
	struct sandbox_config c;
	_cleanup_free_ char *pfc = NULL, *sec = NULL;

	/* last unconditional rule wins */
	config_init(&c);
	apply_lines(&c, (const char *const[]){ "deny ptrace", "allow ptrace",
					       "deny getpid errno EACCES", NULL });
	pfc = dump(&c);
	ok(pfc && !strstr(pfc, "\"ptrace\""),
	   "allow after deny: ptrace is allowed (the default, no rule)");
	sec = pfc_section(pfc, "getpid", 0);
	has_str(sec, "ERRNO(13)", "getpid fails with EACCES");
	config_free(&c);
	free(STEAL_PTR(pfc));
	free(STEAL_PTR(sec));

	/* an unconditional rule drops earlier conditional rules */
	config_init(&c);
	apply_lines(&c,
		    (const char *const[]){ "deny ioctl if arg1 == TIOCSTI", "allow ioctl", NULL });
	pfc = dump(&c);
	ok(pfc && !strstr(pfc, "\"ioctl\""),
	   "allow ioctl after a conditional deny drops the condition");
	ok(pfc && strstr(pfc, "# program 1 of 1"), "and needs only one program");
	config_free(&c);
	free(STEAL_PTR(pfc));

	/* a conditional rule after an unconditional one adds on top */
	config_init(&c);
	apply_lines(&c, (const char *const[]){ "default errno EPERM", "allow ioctl",
					       "deny ioctl if arg1 == TIOCSTI", NULL });
	pfc = dump(&c);
	ok(pfc && strstr(pfc, "# program 1 of 2"),
	   "a stricter condition on top gets a program of its own");
	sec = pfc_section(pfc, "ioctl", 0);
	has_str(sec, "ERRNO(1)", "the first program denies ioctl TIOCSTI");
	has_str(sec, "$a1.lo32 & 0xffffffff == 21522", "on the low 32 bits of arg1");
	free(STEAL_PTR(sec));
	sec = pfc_section(pfc, "ioctl", 1);
	has_str(sec, "action ALLOW", "the main program allows ioctl");
	config_free(&c);
	free(STEAL_PTR(pfc));
	free(STEAL_PTR(sec));

	/* identical conditions: the later rule replaces the earlier */
	config_init(&c);
	apply_lines(&c, (const char *const[]){ "deny ioctl if arg1 == TIOCSTI",
					       "deny ioctl kill if arg1 == TIOCSTI", NULL });
	pfc = dump(&c);
	ok(pfc && strstr(pfc, "KILL_PROCESS;\n") && !strstr(pfc, "ERRNO(1)"),
	   "the same condition again: its last action wins");
	config_free(&c);
	free(STEAL_PTR(pfc));

	/* a looser conditional rule is fine when the base is the default */
	config_init(&c);
	apply_lines(&c, (const char *const[]){ "default errno EPERM",
					       "allow socket if arg0 == AF_UNIX", NULL });
	pfc = dump(&c);
	sec = pfc_section(pfc, "socket", 0);
	has_str(sec, "$a0.lo32 & 0xffffffff == 1", "allow socket AF_UNIX in an allow-list");
	has_str(sec, "action ALLOW", "allowed");
	config_free(&c);
	free(STEAL_PTR(pfc));
	free(STEAL_PTR(sec));

	/* ... but cannot loosen a base set by a rule */
	config_init(&c);
	apply_lines(&c, (const char *const[]){ "deny socket", "allow socket if arg0 == AF_UNIX",
					       NULL });
	pfc = dump(&c);
	ok(!pfc, "a conditional allow on top of an unconditional deny is refused");
	is_str(last_log,
	       "test.profile:2:15: this conditional rule would loosen an earlier unconditional "
	       "rule "
	       "for 'socket', which a seccomp filter cannot express; write that earlier rule with "
	       "the "
	       "opposite condition instead",
	       "and the message says what to write instead");
	config_free(&c);
	free(STEAL_PTR(pfc));

	/* groups expand where they are written */
	config_init(&c);
	apply_lines(&c, (const char *const[]){ "default errno EPERM", "deny getpid errno EACCES",
					       "allow @default", NULL });
	pfc = dump(&c);
	sec = pfc_section(pfc, "getpid", 0);
	has_str(sec, "action ALLOW", "allow @default after deny getpid: getpid is allowed");
	config_free(&c);
	free(STEAL_PTR(pfc));
	free(STEAL_PTR(sec));

	config_init(&c);
	apply_lines(&c, (const char *const[]){ "default errno EPERM", "allow @default",
					       "deny getpid errno EACCES", NULL });
	pfc = dump(&c);
	sec = pfc_section(pfc, "getpid", 0);
	has_str(sec, "ERRNO(13)", "deny getpid after allow @default: getpid fails");
	free(STEAL_PTR(sec));
	sec = pfc_section(pfc, "getppid", 0);
	has_str(sec, "action ALLOW", "the rest of @default stays allowed");
	config_free(&c);
	free(STEAL_PTR(pfc));
	free(STEAL_PTR(sec));

	/* nested groups */
	config_init(&c);
	apply_lines(&c, (const char *const[]){ "deny @privileged", NULL });
	pfc = dump(&c);
	sec = pfc_section(pfc, "chown", 0);
	has_str(sec, "ERRNO(1)", "@privileged includes @chown");
	config_free(&c);
	free(STEAL_PTR(pfc));
	free(STEAL_PTR(sec));
}

static void test_golden(void)
{
	struct sandbox_config c;
	_cleanup_free_ char *pfc = NULL, *sec = NULL;

	config_init(&c);
	pfc = dump(&c);
	ok(pfc != NULL, "an empty config still compiles");
	has_str(pfc, "# invalid architecture action\naction KILL_PROCESS;",
		"a call through another ABI kills");
	sec = pfc_section(pfc, "clone3", 0);
	has_str(sec, "ERRNO(38)", "clone3 fails with ENOSYS");
	ok(pfc && !strstr(pfc, "\"UNKNOWN\""), "a deny-list needs no ENOSYS range");
	config_free(&c);
	free(STEAL_PTR(pfc));
	free(STEAL_PTR(sec));

	config_init(&c);
	apply_lines(&c,
		    (const char *const[]){ "default errno EPERM", "allow @system-service", NULL });
	pfc = dump(&c);
	char key[64];
	snprintf(key, sizeof(key), "(%d)", 456 + 1);
	ok(pfc && strstr(pfc, "\"UNKNOWN\""),
	   "an allow-list answers syscalls too new for libseccomp");
	/* the first number past libseccomp's table must fail with ENOSYS */
	int highest = 0;
	for (int nr = 0; nr < 1024; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		if (name)
			highest = nr;
		free(name);
	}
	snprintf(key, sizeof(key), "# filter for syscall \"UNKNOWN\" (%d)", highest + 1);
	const char *p = pfc ? strstr(pfc, key) : NULL;
	ok(p && strstr(p, "ERRNO(38)") && strstr(p, "ERRNO(38)") < strstr(p + 1, "# filter"),
	   "syscall %d (past libseccomp's tables) fails with ENOSYS", highest + 1);
	sec = pfc_section(pfc, "clone3", 0);
	has_str(sec, "ERRNO(38)", "clone3 fails with ENOSYS even though @process allows it");
	config_free(&c);
	free(STEAL_PTR(pfc));
	free(STEAL_PTR(sec));

	config_init(&c);
	apply_lines(&c, (const char *const[]){ "arch all", NULL });
	pfc = dump(&c);
	has_str(pfc, "# filter for arch x86 ", "arch all adds i386");
	has_str(pfc, "# filter for arch x32 ", "arch all adds x32");
	config_free(&c);
	free(STEAL_PTR(pfc));

	config_init(&c);
	apply_lines(&c, (const char *const[]){ "deny clone if arg0 & CLONE_NEWUSER|CLONE_NEWNS",
					       NULL });
	pfc = dump(&c);
	sec = pfc_section(pfc, "clone", 0);
	has_str(sec, "$a0.lo32 & 0x10000000 == 268435456", "CLONE_NEWUSER is checked bit by bit");
	has_str(sec, "$a0.lo32 & 0x00020000 == 131072", "and CLONE_NEWNS");
	config_free(&c);
	free(STEAL_PTR(pfc));
	free(STEAL_PTR(sec));
}

static int load_block(struct sandbox_config *c, const char *file)
{
	const char *top = getenv("TOP_SRCDIR");
	_cleanup_free_ char *path = xasprintf("%s/profiles/%s", top ? top : "..", file);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	if (!f) {
		printf("# cannot open %s\n", path);
		return -errno;
	}
	char line[1024];
	unsigned n = 0;
	while (fgets(line, sizeof(line), f)) {
		n++;
		line[strcspn(line, "#\n")] = '\0';
		const char *rest = startswith(line, "syscall ");
		const char *inc = startswith(line, "include ");
		if (inc) {
			_cleanup_free_ char *name =
				xasprintf("%.*s.profile", (int)strcspn(inc, " "), inc);
			int rc = load_block(c, name);
			if (rc < 0)
				return rc;
			continue;
		}
		if (!rest) {
			if (line[strspn(line, " \t")] != '\0')
				printf("# %s:%u: not a syscall line\n", file, n);
			continue;
		}
		if (apply_at(c, n, rest) < 0) {
			printf("# %s\n", last_log);
			return -EINVAL;
		}
	}
	return 0;
}

static void test_blocks(void)
{
	const char *blocks[] = { "seccomp-baseline.profile", "seccomp-strict.profile" };
	for (size_t i = 0; i < ARRAY_SIZE(blocks); i++) {
		struct sandbox_config c;
		struct filter_program p;
		config_init(&c);
		is_int(load_block(&c, blocks[i]), 0, "%s parses", blocks[i]);
		is_int(filter_compile(&c, &p), 0, "%s compiles", blocks[i]);
		ok(p.len > 0 && p.len <= BPF_MAXINSNS,
		   "%s fits in one BPF program each (%zu insns, %zu parts)", blocks[i], p.len,
		   p.n_parts);
		filter_program_free(&p);
		config_free(&c);
	}
}

static void test_print_roundtrip(void)
{
	struct sandbox_config c, back;
	config_init(&c);
	config_init(&back);
	apply_lines(&c, (const char *const[]){
				"default errno EPERM", "arch all", "allow @default @basic-io",
				"allow getpid log", "deny ptrace process_vm_readv errno EACCES",
				"deny kexec_load kill",
				"deny clone if arg0 & CLONE_NEWUSER|CLONE_NEWNET",
				"deny open if arg1 & O_ACCMODE == O_WRONLY and arg2 == 0644",
				"deny openat trap if arg0 == AT_FDCWD",
				"deny socket if arg0 != AF_UNIX", NULL });
	_cleanup_free_ char *text = print_rules(&c);
	has_str(text, "syscall default errno EPERM\nsyscall arch all\n", "default and arch first");
	has_str(text, "syscall allow @default @basic-io\n",
		"groups are printed by name, one line kept");
	has_str(text, "syscall allow getpid log\n", "log");
	has_str(text, "syscall deny clone errno EPERM if arg0 & 0x50000000\n",
		"conditions as numbers");
	has_str(text, "if arg1 & 0x3 == 0x1 and arg2 == 0x1a4",
		"masked compare and a second condition");
	_cleanup_free_ char *copy = xstrdup(text);
	char *save = NULL;
	unsigned line = 0;
	bool parsed = true;
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		const char *rest = startswith(l, "syscall ");
		if (!rest || apply_at(&back, ++line, rest) < 0)
			parsed = false;
	}
	ok(parsed, "the printed rules parse back");
	_cleanup_free_ char *again = print_rules(&back);
	is_str(again, text, "and print the same");
	_cleanup_free_ char *d1 = dump(&c), *d2 = dump(&back);
	ok(d1 && d2 && streq(d1, d2), "and compile to the same filter");
	if (!d1 || !d2)
		printf("# %s\n", last_log);
	config_free(&c);
	config_free(&back);
}

static const char *const newer_than_libseccomp[] = {
	"statmount",	     "listmount",	  "mseal",
	"lsm_get_self_attr", "lsm_set_self_attr", "lsm_list_modules",
};

static void test_groups(void)
{
	size_t n;
	const struct filter_group *g = filter_groups(&n);
	bool all_known = true, all_compile = true;
	ok(n >= 25, "there are %zu groups", n);
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *copy = xstrdup(g[i].members);
		char *save = NULL;
		for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
			bool known = w[0] == '@'
					     ? filter_group_find(w) != NULL
					     : seccomp_syscall_resolve_name(w) != __NR_SCMP_ERROR;
			for (size_t k = 0; !known && k < ARRAY_SIZE(newer_than_libseccomp); k++)
				known = streq(w, newer_than_libseccomp[k]);
			if (!known) {
				printf("# %s: unknown member '%s'\n", g[i].name, w);
				all_known = false;
			}
		}
		struct sandbox_config c;
		config_init(&c);
		_cleanup_free_ char *line = xasprintf("deny %s", g[i].name);
		_cleanup_free_ char *pfc = NULL;
		if (apply(&c, line) < 0 || !(pfc = dump(&c))) {
			printf("# %s does not compile: %s\n", g[i].name, last_log);
			all_compile = false;
		}
		config_free(&c);
	}
	ok(all_known, "every group member is a syscall libseccomp knows, or a group");
	ok(all_compile, "every group compiles on its own (no loops)");
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	filter_print_groups(f);
	fclose(f);
	has_str(out, "@basic-io\t# read, write, seek and close open file descriptors\n",
		"groups print with a description");
	has_str(out, "@system-service\t#", "and @system-service");
	free(out);
	ok(filter_arg_is_32bit("ioctl", 1) && !filter_arg_is_32bit("ioctl", 2) &&
		   !filter_arg_is_32bit("clone", 0),
	   "ioctl's cmd is 32-bit, its arg and clone's flags are not");
}

/* Run @fn in a child with @c's filter loaded; returns its wait status. */
static int run_filtered(const struct sandbox_config *c, int (*fn)(void))
{
	struct filter_program p;
	if (filter_compile(c, &p) < 0)
		return -1;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || filter_load(&p) < 0)
			_exit(100);
		_exit(fn());
	}
	int status = -1;
	waitpid(pid, &status, 0);
	filter_program_free(&p);
	return status;
}

static int try_tiocsti_upper_bits(void)
{
	char ch = 'x';
	long r = syscall(SYS_ioctl, 0, (unsigned long)TIOCSTI | (1UL << 32), &ch);
	return r < 0 && errno == EPERM ? 0 : 1;
}

static int try_clone3(void)
{
	struct clone_args args = { .exit_signal = SIGCHLD };
	long r = syscall(SYS_clone3, &args, sizeof(args));
	if (r == 0)
		_exit(0);
	return r < 0 && errno == ENOSYS ? 0 : 1;
}

static int try_getppid(void)
{
	return getppid() > 0 ? 0 : 1;
}

static void test_load(void)
{
	struct sandbox_config c;
	config_init(&c);
	apply_lines(&c, (const char *const[]){ "default errno EPERM", "allow @system-service",
					       "deny ioctl if arg1 == TIOCSTI", NULL });
	int st = run_filtered(&c, try_tiocsti_upper_bits);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "ioctl(TIOCSTI | 1 << 32) is still denied by a loaded filter (status 0x%x)", st);
	st = run_filtered(&c, try_clone3);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "clone3 fails with ENOSYS (status 0x%x)", st);
	st = run_filtered(&c, try_getppid);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "allowed syscalls work (status 0x%x)", st);
	config_free(&c);

	config_init(&c);
	apply_lines(&c, (const char *const[]){ "deny getppid kill", NULL });
	st = run_filtered(&c, try_getppid);
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS, "kill kills with SIGSYS (status 0x%x)", st);
	config_free(&c);
}

int main(void)
{
	test_errors();
	test_parse();
	test_merge();
	test_golden();
	test_blocks();
	test_print_roundtrip();
	test_groups();
	test_load();
	free(last_log);
	return tap_done();
}
