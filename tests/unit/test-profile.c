/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-profile.c - the profile language: lexing, variables, every error with
 * its exact location, includes, the search path, drop-ins and quoting.
 *
 * Most tests replace directive_apply() with a recorder so they see exactly the
 * words and locations the loader hands on; the round trip through
 * directive_print_config() and the shipped profiles use the real table.
 */
#include "config.h"

#include <ftw.h>
#include <limits.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>

#include "directive.h"
#include "profile.h"
#include "tap.h"

static FILE *calls_f;
static char *calls; /* one line per directive: "FILE:L:C name w@L:C ..." */
static size_t calls_size;
static char *logged; /* what the loader logged */
static size_t logged_size;
static FILE *log_f;
static char *fixtures, *shipped, *tmp; /* absolute */

static int record(struct sandbox_config *c, const struct directive_args *a)
{
	const char *base = a->loc.file ? strrchr(a->loc.file, '/') : NULL;
	fprintf(calls_f, "%s:%u:%u %s", base ? base + 1 : a->loc.file, a->loc.line, a->loc.column,
		a->name);
	for (size_t i = 0; i < a->n; i++)
		fprintf(calls_f, " %s@%u:%u", a->words[i], a->locs[i].line, a->locs[i].column);
	fputc('\n', calls_f);
	if (strcmp(a->name, "fail") == 0)
		return log_at(&a->loc, "failing as asked");
	return 0;
}

static void capture_start(void)
{
	free(calls);
	free(logged);
	calls = logged = NULL;
	calls_f = open_memstream(&calls, &calls_size);
	log_f = open_memstream(&logged, &logged_size);
	log_set_stream(log_f);
}

static void capture_end(void)
{
	log_set_stream(NULL);
	fclose(calls_f);
	fclose(log_f);
}

/* Load @len bytes of @text as the profile @file with the recorder. */
static int load_bytes(const char *text, size_t len, const char *file)
{
	struct sandbox_config c;
	config_init(&c);
	capture_start();
	FILE *f = fmemopen((void *)text, len, "r");
	int r = profile_load_stream(&c, f, file);
	fclose(f);
	capture_end();
	config_free(&c);
	return r;
}

static int load(const char *text)
{
	return load_bytes(text, strlen(text), "x.profile");
}

/* profile_load() by name or path with the recorder; profile_names is copied to @ret_names. */
static int load_named(const char *name, char *ret_names, size_t size)
{
	struct sandbox_config c;
	config_init(&c);
	capture_start();
	int r = profile_load(&c, name, NULL);
	capture_end();
	if (ret_names) {
		ret_names[0] = '\0';
		for (char **p = c.profile_names; p && *p; p++)
			snprintf(ret_names + strlen(ret_names), size - strlen(ret_names), "%s;",
				 *p);
	}
	config_free(&c);
	return r;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

static char *tmp_path(const char *rel)
{
	static char buf[4][PATH_MAX];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", tmp, rel);
	return buf[i];
}

static void mkdirs(const char *rel)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	for (char *s = p + strlen(tmp) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void test_lexing(void)
{
	is_int(load("ro-bind /usr /etc\n"), 0, "a simple line loads");
	is_str(calls, "x.profile:1:1 ro-bind /usr@1:9 /etc@1:14\n", "words and their columns");

	load("\n# a comment\n\t  tmpfs   /tmp # trailing comment\n\n");
	is_str(calls, "x.profile:3:4 tmpfs /tmp@3:12\n",
	       "blank lines and comments are skipped; tabs count as one column");

	load("setenv a#b #c\n");
	is_str(calls, "x.profile:1:1 setenv a#b@1:8\n", "'#' inside a word is literal");

	load("x 'a b' \"c d\" a\"b c\"d '' \"\"\n");
	is_str(calls, "x.profile:1:1 x a b@1:3 c d@1:9 ab cd@1:15 @1:23 @1:26\n",
	       "quotes group, join with text, and make empty words");

	load("x \\# \\  a\\'b \"q\\\"q\" \"b\\\\s\" \"d\\$\" \"\\n\" \\$\n");
	is_str(calls,
	       "x.profile:1:1 x #@1:3  @1:6 a'b@1:9 q\"q@1:14 b\\s@1:21 d$@1:28 \\n@1:34 $@1:39\n",
	       "backslash escapes, unquoted and in double quotes");

	load("x '${HOME} \\ \"' y\n");
	is_str(calls, "x.profile:1:1 x ${HOME} \\ \"@1:3 y@1:17\n",
	       "single quotes keep everything literal");

	load("file /x 'a\nb' z\nnext y\n");
	is_str(calls, "x.profile:1:1 file /x@1:6 a\nb@1:9 z@2:4\nx.profile:3:1 next y@3:6\n",
	       "single quotes may span lines");

	load("syscall allow read \\\n  write\\\n  open\nnet none\n");
	is_str(calls,
	       "x.profile:1:1 syscall allow@1:9 read@1:15 write@2:3 open@3:3\n"
	       "x.profile:4:1 net none@4:5\n",
	       "a backslash at the end of a line joins it with the next");

	load("x ab\\\ncd \"e\\\nf\"\n");
	is_str(calls, "x.profile:1:1 x abcd@1:3 ef@2:4\n",
	       "a joined line continues the word, also in double quotes");

	load("x a \\\n# comment\ny b\n");
	is_str(calls, "x.profile:1:1 x a@1:3\nx.profile:3:1 y b@3:3\n",
	       "a comment line after a join ends the directive");

	load("last line-without-newline");
	is_str(calls, "x.profile:1:1 last line-without-newline@1:6\n",
	       "the last line needs no newline");

	is_int(load("a 1\nfail now\nb 2\n"), -EINVAL, "a directive error is returned");
	is_str(calls, "x.profile:1:1 a 1@1:3\nx.profile:2:1 fail now@2:6\n",
	       "nothing after the first error is applied");
	is_str(logged, "x.profile:2:1: failing as asked\n", "the directive's message is kept");
}

static void test_variables(void)
{
	char want[PATH_MAX * 2], cwd[PATH_MAX];

	setenv("HOME", "/home/test", 1);
	setenv("XDG_RUNTIME_DIR", "/run/user/4242", 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_DATA_HOME");
	setenv("XDG_CACHE_HOME", "relative/ignored", 1);
	setenv("USER", "tester", 1);

	load("x ${HOME}/a \"${XDG_RUNTIME_DIR}\" ${XDG_CONFIG_HOME} ${XDG_DATA_HOME}"
	     " ${XDG_CACHE_HOME} ${USER} '${HOME}'\n");
	is_str(calls,
	       "x.profile:1:1 x /home/test/a@1:3 /run/user/4242@1:13 /home/test/.config@1:34 "
	       "/home/test/.local/share@1:53 /home/test/.cache@1:70 tester@1:88 ${HOME}@1:96\n",
	       "variables expand, XDG_*_HOME default under HOME, single quotes do not expand");

	setenv("XDG_CONFIG_HOME", "/cfg", 1);
	load("x ${XDG_CONFIG_HOME}\n");
	is_str(calls, "x.profile:1:1 x /cfg@1:3\n", "an absolute XDG_CONFIG_HOME is used");

	snprintf(want, sizeof(want), "x.profile:1:1 x %u:%u@1:3 %s@1:%zu\n", (unsigned)getuid(),
		 (unsigned)getgid(), getcwd(cwd, sizeof(cwd)),
		 (size_t)3 + strlen("${UID}:${GID} "));
	load("x ${UID}:${GID} ${PWD}\n");
	is_str(calls, want, "UID, GID and PWD come from the process");

	unsetenv("USER");
	struct passwd *pw = getpwuid(getuid());
	if (pw) {
		snprintf(want, sizeof(want), "x.profile:1:1 x %s@1:3\n", pw->pw_name);
		load("x ${USER}\n");
		is_str(calls, want, "USER falls back to the password database");
	} else {
		ok(1, "USER fallback # SKIP uid %u has no passwd entry", (unsigned)getuid());
	}
	setenv("USER", "tester", 1);

	load("x ${HOM}\n");
	is_str(logged,
	       "x.profile:1:3: unknown variable ${HOM}; expected one of HOME, PWD, UID, GID, "
	       "USER, XDG_RUNTIME_DIR, XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_CACHE_HOME\n",
	       "an unknown variable is an error at its column");
	load("x a${}\n");
	has_str(logged, "x.profile:1:4: unknown variable ${};", "an empty name is unknown");
	load("x \"$HOME\"\n");
	is_str(logged,
	       "x.profile:1:4: stray '$' in '$HOME\"'; expected ${NAME}, or \\$ for a "
	       "literal '$'\n",
	       "a '$' without {NAME} is an error, also in double quotes");
	load("x ${HOME/x}\n");
	has_str(logged, "x.profile:1:3: unknown variable ${HOME/x};", "a bad name is unknown");
	load("x ${HOME y\n");
	is_str(logged, "x.profile:1:3: unterminated '${' in '${HOME y'; expected ${NAME}\n",
	       "an unterminated ${ is an error at the '$'");

	unsetenv("XDG_RUNTIME_DIR");
	is_int(load("x\ny ${XDG_RUNTIME_DIR}/wayland-0\n"), -EINVAL, "unset XDG_RUNTIME_DIR fails");
	is_str(logged,
	       "x.profile:2:3: ${XDG_RUNTIME_DIR} is used but XDG_RUNTIME_DIR is not set in "
	       "the environment; expected a login session that sets it, or set it yourself\n",
	       "and says so at its column");
	unsetenv("HOME");
	unsetenv("XDG_DATA_HOME");
	load("x ${XDG_DATA_HOME}\n");
	is_str(logged,
	       "x.profile:1:3: ${HOME} is used but HOME is not set in the environment; "
	       "expected an absolute path in $HOME\n",
	       "a default under an unset HOME is an error naming HOME");
	setenv("HOME", "/home/test", 1);
	setenv("XDG_RUNTIME_DIR", "/run/user/4242", 1);
}

static void test_lexer_errors(void)
{
	static const char nul[] = "hostname a\nhost\0name b\n";
	is_int(load_bytes(nul, sizeof(nul) - 1, "x.profile"), -EINVAL, "a NUL byte is an error");
	is_str(logged, "x.profile:2:5: NUL byte; expected a text file\n", "at its column");
	is_str(calls, "", "and nothing of a binary file is applied");

	size_t n = 70000;
	char *big = malloc(n + 16);
	strcpy(big, "ok 1\nx ");
	memset(big + 7, 'a', n);
	strcpy(big + 7 + n, "\n");
	load(big);
	is_str(logged,
	       "x.profile:2:65537: line longer than 65536 bytes; expected at most 64 KiB "
	       "per line\n",
	       "a line over 64 KiB is an error at the first byte too many");
	free(big);

	load("a 'b\nc\n");
	is_str(logged,
	       "x.profile:1:3: unterminated quote 'b; expected a closing ' before the end "
	       "of the file\n",
	       "an unterminated single quote is an error at the quote");
	load("a \"b\nc\"\n");
	is_str(logged,
	       "x.profile:1:3: unterminated quote \"b; expected a closing \" on the same "
	       "line\n",
	       "an unterminated double quote is an error at the quote");
	load("a b\\");
	is_str(logged,
	       "x.profile:1:4: '\\' at the end of the file; expected a character after it\n",
	       "a backslash at the end of the file is an error");
	load("include\n");
	is_str(logged,
	       "x.profile:1:1: 'include' without a profile; expected include NAME|PATH...\n",
	       "include needs a name");
	load("profile '' \n");
	is_str(logged, "x.profile:1:9: empty profile name; expected NAME or PATH\n",
	       "an empty name is refused");
}

static void test_split(void)
{
	struct profile_words w;
	struct source_loc cl = { .column = 3 };

	is_int(profile_split("deny ptrace  'a b'\n# c\nx", &cl, &w), 0,
	       "split a command-line value");
	is_int(w.n, 4, "four words; the newline separates, the comment is dropped");
	is_str(w.words[2], "a b", "a quoted word");
	is_str(w.words[3], "x", "the word after the comment");
	is_int(w.locs[1].column, 3, "command-line words carry the argument's location");
	ok(w.words[4] == NULL, "the words are NULL-terminated");
	profile_words_free(&w);

	is_int(profile_split("", &cl, &w), 0, "an empty value splits");
	ok(w.n == 0 && w.words && !w.words[0], "into no words");
	profile_words_free(&w);

	capture_start();
	is_int(profile_split("deny 'ptrace", &cl, &w), -EINVAL, "a bad value fails");
	capture_end();
	is_str(logged,
	       "sandbox: command line: unterminated quote 'ptrace; expected a closing ' "
	       "before the end of the value\n",
	       "and names the text, since there is no column");
	ok(w.words == NULL && w.n == 0, "and leaves no words behind");

	struct source_loc in_file = { .file = "f.profile", .line = 4, .column = 10 };
	is_int(profile_split("a  b", &in_file, &w), 0, "split with a file location");
	is_int(w.locs[1].column, 13, "columns count from the given location");
	profile_words_free(&w);
}

static const char *const nasty[] = {
	"plain",
	"",
	"with space",
	"it's",
	"''",
	"a\\b",
	"\\",
	"$HOME",
	"${HOME}",
	"#x",
	"a#b",
	"x\ny",
	"\"q\"",
	"tab\there",
	"é ü 😀",
	"-",
	"=",
	"a:b",
	"\\'",
	"' '",
	"trailing\\",
	"\n",
	"# not a comment",
};

/* @w as profile_quote_word() prints it; valid until the next call. */
static const char *quote(const char *w)
{
	static char *last;
	size_t size = 0;
	free(last);
	last = NULL;
	FILE *f = open_memstream(&last, &size);
	profile_quote_word(w, f);
	fclose(f);
	return last;
}

static void test_quoting(void)
{
	is_str(quote("/usr/lib64"), "/usr/lib64", "safe words stay bare");
	is_str(quote("size=64M"), "size=64M", "'=' is safe");
	is_str(quote(""), "''", "the empty word is quoted");
	is_str(quote("it's"), "'it'\\''s'", "a single quote is closed, escaped, reopened");
	is_str(quote("#x"), "'#x'", "a word that would start a comment is quoted");
	is_str(quote("a$b"), "'a$b'", "a '$' is quoted");

	/* Every nasty word reads back unchanged, alone and inside a profile line. */
	char *line = NULL;
	size_t line_size = 0;
	FILE *lf = open_memstream(&line, &line_size);
	fputs("words", lf);
	for (size_t i = 0; i < ARRAY_SIZE(nasty); i++) {
		struct profile_words w = { 0 };
		struct source_loc loc = { .file = "q.profile", .line = 1, .column = 1 };
		int r = profile_split(quote(nasty[i]), &loc, &w);
		ok(r == 0 && w.n == 1 && strcmp(w.words[0], nasty[i]) == 0,
		   "quoting round trip of nasty word %zu", i);
		profile_words_free(&w);
		fputc(' ', lf);
		profile_quote_word(nasty[i], lf);
	}
	fputs("\nnext\n", lf);
	fclose(lf);
	load(line);
	char *want = NULL;
	size_t want_size = 0;
	FILE *wf = open_memstream(&want, &want_size);
	for (size_t i = 0; i < ARRAY_SIZE(nasty); i++)
		fprintf(wf, " %s", nasty[i]);
	fclose(wf);
	/* Cut the locations off the recorded words and compare. */
	char *got = NULL;
	size_t got_size = 0;
	FILE *gf = open_memstream(&got, &got_size);
	const char *p = strstr(calls, " words");
	p = p ? p + strlen(" words") : "";
	const char *end = strstr(p, "\nq.profile");
	end = end ? end : strstr(p, "\nx.profile");
	for (const char *s = p; s && end && s < end;) {
		const char *at = strchr(s + 1, '@');
		/* "@L:C" then a space or the end; words may contain '@'-free text only */
		fwrite(s, 1, (size_t)(at - s), gf);
		s = at + strcspn(at, " \n");
		if (*s == '\n')
			break;
	}
	fclose(gf);
	is_str(got, want, "a whole line of quoted nasty words loads back word for word");
	has_str(calls, "x.profile:", "and the line after it still parses");
	free(got);
	free(want);
	free(line);
}

static void test_fixtures(void)
{
	char want[PATH_MAX * 3];

	setenv("SANDBOX_PROFILE_PATH", fixtures, 1);

	load_named("include-loop-a", NULL, 0);
	snprintf(want, sizeof(want),
		 "%s/include-loop-b.profile:3:9: include loop: include-loop-a -> include-loop-b -> "
		 "include-loop-a; expected each profile at most once in a chain of includes\n",
		 fixtures);
	is_str(logged, want, "include-loop-a.profile: the loop is shown as a chain");
	is_str(calls, "include-loop-b.profile:2:1 hostname b@2:10\n",
	       "lines before the loop were applied in order");

	load_named("self-include", NULL, 0);
	snprintf(want, sizeof(want),
		 "%s/self-include.profile:2:9: include loop: self-include -> "
		 "./self-include.profile; "
		 "expected each profile at most once in a chain of includes\n",
		 fixtures);
	is_str(logged, want, "self-include.profile: including itself by path is a loop");

	load_named("unknown-variable", NULL, 0);
	snprintf(
		want, sizeof(want),
		"%s/unknown-variable.profile:3:14: unknown variable ${HOM}; expected one of HOME, "
		"PWD, "
		"UID, GID, USER, XDG_RUNTIME_DIR, XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_CACHE_HOME\n",
		fixtures);
	is_str(logged, want, "unknown-variable.profile");

	load_named("unterminated-quote", NULL, 0);
	snprintf(
		want, sizeof(want),
		"%s/unterminated-quote.profile:1:10: unterminated quote 'box; expected a closing ' "
		"before the end of the file\n",
		fixtures);
	is_str(logged, want, "unterminated-quote.profile");

	load_named("unterminated-double-quote", NULL, 0);
	snprintf(want, sizeof(want),
		 "%s/unterminated-double-quote.profile:1:8: unterminated quote \"A=b; expected a "
		 "closing \" on the same line\n",
		 fixtures);
	is_str(logged, want, "unterminated-double-quote.profile");

	load_named("unterminated-variable", NULL, 0);
	snprintf(want, sizeof(want),
		 "%s/unterminated-variable.profile:1:7: unterminated '${' in '${HOME'; expected "
		 "${NAME}\n",
		 fixtures);
	is_str(logged, want, "unterminated-variable.profile");

	load_named("stray-dollar", NULL, 0);
	snprintf(want, sizeof(want),
		 "%s/stray-dollar.profile:1:7: stray '$' in '$HOME/src'; expected ${NAME}, or \\$ "
		 "for a literal '$'\n",
		 fixtures);
	is_str(logged, want, "stray-dollar.profile");

	setenv("XDG_CONFIG_HOME", tmp_path("user-config"), 1);
	is_int(load_named("unknown-profile", NULL, 0), -ENOENT, "a missing profile is -ENOENT");
	snprintf(want, sizeof(want),
		 "%s/unknown-profile.profile:3:9: no profile 'does-not-exist' (searched "
		 "%s/user-config/sandbox/profiles, %s); expected the name of a profile, see "
		 "--list-profiles\n",
		 fixtures, tmp, fixtures);
	is_str(logged, want, "unknown-profile.profile names every directory searched");

	setenv("XDG_CONFIG_HOME", "", 1);
	load_named("unknown-profile", NULL, 0);
	snprintf(want, sizeof(want),
		 "%s/unknown-profile.profile:3:9: no profile 'does-not-exist' (searched "
		 "~/.config/sandbox/profiles, %s); expected the name of a profile, see "
		 "--list-profiles\n",
		 fixtures, fixtures);
	is_str(logged, want, "the home directory is shown as ~");

	load_named("missing-include-path", NULL, 0);
	snprintf(want, sizeof(want),
		 "%s/missing-include-path.profile:1:9: cannot open profile "
		 "'%s/./does-not-exist.profile': No such file or directory\n",
		 fixtures, fixtures);
	is_str(logged, want,
	       "missing-include-path.profile: a path is resolved next to the includer");

	load_named("include-without-name", NULL, 0);
	snprintf(want, sizeof(want),
		 "%s/include-without-name.profile:1:1: 'include' without a profile; expected "
		 "include "
		 "NAME|PATH...\n",
		 fixtures);
	is_str(logged, want, "include-without-name.profile");

	load_named("nul-byte", NULL, 0);
	snprintf(want, sizeof(want), "%s/nul-byte.profile:2:5: NUL byte; expected a text file\n",
		 fixtures);
	is_str(logged, want, "nul-byte.profile");

	load_named("backslash-at-end", NULL, 0);
	snprintf(want, sizeof(want),
		 "%s/backslash-at-end.profile:1:14: '\\' at the end of the file; expected a "
		 "character after it\n",
		 fixtures);
	is_str(logged, want, "backslash-at-end.profile");

	unsetenv("XDG_RUNTIME_DIR");
	load_named("unset-runtime-dir", NULL, 0);
	snprintf(
		want, sizeof(want),
		"%s/unset-runtime-dir.profile:1:13: ${XDG_RUNTIME_DIR} is used but XDG_RUNTIME_DIR "
		"is not set in the environment; expected a login session that sets it, or set it "
		"yourself\n",
		fixtures);
	is_str(logged, want, "unset-runtime-dir.profile");
	setenv("XDG_RUNTIME_DIR", "/run/user/4242", 1);

	char names[256];
	is_int(load_named("include-relative", names, sizeof(names)), 0, "include-relative loads");
	is_str(calls,
	       "include-relative-target.profile:1:1 hostname target@1:10\n"
	       "include-relative.profile:3:1 hostname after@3:10\n",
	       "a relative include is found next to the including file and applied in place");
	is_str(names, "include-relative;", "only the top-level name is recorded");

	load_named("every-lexer-feature", NULL, 0);
	is_str(calls,
	       "every-lexer-feature.profile:3:1 syscall allow@3:9 read@3:15 write@3:20 openat@4:2 "
	       "close@4:9\n"
	       "every-lexer-feature.profile:5:1 setenv GREETING=hello world@5:8 "
	       "QUOTED=a \"b\" $c@5:31 plain space=x@5:52\n"
	       "every-lexer-feature.profile:6:1 file /etc/motd@6:6 line one\nline two@6:16\n"
	       "every-lexer-feature.profile:8:1 bind-try /home/test/a#b@8:10 /home/test/c d@8:22\n"
	       "every-lexer-feature.profile:9:1 unsetenv ab cd@9:10 @9:18 @9:21\n",
	       "every-lexer-feature.profile gives exactly these words");
	is_str(logged, "", "without a message");

	/* From the command line a path is relative to the cwd, and a directory is refused. */
	_cleanup_free_ char *rel = xasprintf("%s/include-relative.profile", fixtures);
	is_int(load_named(rel, names, sizeof(names)), 0, "a path loads from the command line");
	_cleanup_free_ char *rel_names = xasprintf("%s;", rel);
	is_str(names, rel_names, "and is recorded as written");
	is_int(load_named(fixtures, NULL, 0) < 0, 1, "a directory is not a profile");
	snprintf(want, sizeof(want),
		 "sandbox: command line: '%s' is not a regular file; expected a profile\n",
		 fixtures);
	is_str(logged, want, "and the message says so");
}

static void test_search_path(void)
{
	char want[PATH_MAX * 4];

	setenv("HOME", tmp_path("home"), 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("SANDBOX_PROFILE_PATH");
	char **v = profile_search_path();
	is_int(strv_length(v), 3, "three directories by default");
	snprintf(want, sizeof(want), "%s/home/.config/sandbox/profiles", tmp);
	is_str(v[0], want, "the user's directory comes first, under ~/.config by default");
	is_str(v[1], SYSCONFDIR "/sandbox/profiles", "then the system configuration");
	is_str(v[2], PKGDATADIR "/profiles", "then the shipped profiles");
	strv_free(v);

	setenv("XDG_CONFIG_HOME", tmp_path("user"), 1);
	setenv("SANDBOX_PROFILE_PATH", "relative:/first::/second:/first", 1);
	v = profile_search_path();
	is_int(strv_length(v), 3, "SANDBOX_PROFILE_PATH replaces the system directories");
	snprintf(want, sizeof(want), "%s/user/sandbox/profiles", tmp);
	is_str(v[0], want, "the user's directory stays first, under XDG_CONFIG_HOME");
	is_str(v[1], "/first", "relative and empty entries are dropped");
	is_str(v[2], "/second", "duplicates are dropped");
	strv_free(v);

	/* Two system directories and the user's, with drop-ins in each. */
	mkdirs("user/sandbox/profiles/p.d");
	mkdirs("sys1/p.d");
	mkdirs("sys2/p.d");
	write_text(tmp_path("user/sandbox/profiles/p.profile"), "body user\n");
	write_text(tmp_path("sys1/p.profile"), "body sys1\n");
	write_text(tmp_path("sys2/p.profile"), "body sys2\n");
	write_text(tmp_path("sys2/only2.profile"), "body only2\ninclude p\nafter p\n");
	write_text(tmp_path("user/sandbox/profiles/p.d/20-b.profile"), "dropin user-20\n");
	write_text(tmp_path("user/sandbox/profiles/p.d/10-a.profile"), "dropin user-10\n");
	write_text(tmp_path("sys1/p.d/10-a.profile"), "dropin sys1-10-masked\n");
	write_text(tmp_path("sys1/p.d/15-c.profile"), "dropin sys1-15\n");
	write_text(tmp_path("sys2/p.d/30-d.profile"), "dropin sys2-30\n");
	write_text(tmp_path("sys2/p.d/15-c.profile"), "dropin sys2-15-masked\n");
	write_text(tmp_path("sys2/p.d/readme.txt"), "not a profile\n");
	write_text(tmp_path("sys2/p.d/.hidden.profile"), "hidden\n");
	snprintf(want, sizeof(want), "%s/sys1:%s/sys2", tmp, tmp);
	setenv("SANDBOX_PROFILE_PATH", want, 1);

	char names[256];
	is_int(load_named("only2", names, sizeof(names)), 0, "a name found in the last directory");
	is_str(calls,
	       "only2.profile:1:1 body only2@1:6\n"
	       "p.profile:1:1 body user@1:6\n"
	       "10-a.profile:1:1 dropin user-10@1:8\n"
	       "15-c.profile:1:1 dropin sys1-15@1:8\n"
	       "20-b.profile:1:1 dropin user-20@1:8\n"
	       "30-d.profile:1:1 dropin sys2-30@1:8\n"
	       "only2.profile:3:1 after p@3:7\n",
	       "the first p.profile wins; its drop-ins follow in name order, earlier directories "
	       "masking later ones, all in place of the include");
	is_str(names, "only2;", "profile_names holds only what was asked for");

	write_text(tmp_path("user/sandbox/profiles/p.d/40-e.profile"), "include p\n");
	load_named("p", NULL, 0);
	snprintf(want, sizeof(want),
		 "%s/user/sandbox/profiles/p.d/40-e.profile:1:9: include loop: p -> "
		 "%s/user/sandbox/profiles/p.d/40-e.profile -> p; expected each profile at most "
		 "once "
		 "in a chain of includes\n",
		 tmp, tmp);
	ok(strstr(logged, "include loop: ") != NULL,
	   "a drop-in that includes its own profile loops");
	remove(tmp_path("user/sandbox/profiles/p.d/40-e.profile"));

	mkdirs("sys2/p.d/dir.profile");
	load_named("p", NULL, 0);
	snprintf(want, sizeof(want),
		 "sandbox: command line: '%s/sys2/p.d/dir.profile' is not a regular file; expected "
		 "a "
		 "profile\n",
		 tmp);
	is_str(logged, want, "a drop-in that is not a file is an error, not skipped");
	remove(tmp_path("sys2/p.d/dir.profile"));

	char *list = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&list, &size);
	is_int(profile_list(f), 0, "profile_list succeeds");
	fclose(f);
	is_str(list, "only2\np\n",
	       "profile_list: sorted, each name once, no drop-ins or directories");
	free(list);

	/* A chain deeper than the limit. */
	for (int i = 0; i < 40; i++) {
		char name[64], text[64];
		snprintf(name, sizeof(name), "sys1/deep%d.profile", i);
		snprintf(text, sizeof(text), "include deep%d\n", i + 1);
		write_text(tmp_path(name), text);
	}
	is_int(load_named("deep0", NULL, 0), -EINVAL, "a too deep chain fails");
	snprintf(want, sizeof(want),
		 "%s/sys1/deep31.profile:1:9: includes nested more than 32 deep: "
		 "deep0 -> deep1 -> ",
		 tmp);
	ok(strncmp(logged, want, strlen(want)) == 0, "at the include that goes too deep");
	has_str(logged, "deep31 -> deep32; expected fewer levels\n", "showing the chain");
}

/* The shipped profiles lex and resolve every include. */
static void test_shipped_profiles(void)
{
	static const char *const names[] = { "default", "net-none", "build", "strict", "desktop" };
	char path[PATH_MAX * 2];

	/* seccomp-* building blocks are someone else's; stand-ins are used only when
	 * profiles/ has none yet, since profiles/ comes first. */
	mkdirs("standins");
	write_text(tmp_path("standins/seccomp-baseline.profile"), "# stand-in\n");
	write_text(tmp_path("standins/seccomp-strict.profile"), "# stand-in\n");
	snprintf(path, sizeof(path), "%s:%s", shipped, tmp_path("standins"));
	setenv("SANDBOX_PROFILE_PATH", path, 1);
	setenv("XDG_CONFIG_HOME", tmp_path("empty-config"), 1);
	setenv("HOME", "/home/test", 1);
	setenv("XDG_RUNTIME_DIR", "/run/user/4242", 1);

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		int r = load_named(names[i], NULL, 0);
		is_int(r, 0, "shipped profile %s loads", names[i]);
		if (r)
			printf("# %s", logged);
	}
	load_named("default", NULL, 0);
	has_str(calls, " proc /proc@", "default mounts /proc");
	has_str(calls, " net none@", "default has no network");
	load_named("build", NULL, 0);
	has_str(calls, " tmpfs /home/test@", "build hides HOME behind a tmpfs");

	/* With the real directive table (and the stand-ins while profiles/ lacks the seccomp
	 * blocks). */
	if (!directive_find("ro-bind")) {
		ok(1, "shipped profiles apply # SKIP the directive table is not there");
		return;
	}
	profile_set_directive_handler(NULL);
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		int r = load_named(names[i], NULL, 0);
		is_int(r, 0, "shipped profile %s applies with the real directives", names[i]);
		if (r)
			printf("# %s", logged);
	}
	profile_set_directive_handler(record);
}

/* --print-profile output loads back to a config that prints the same. */
static void test_print_round_trip(void)
{
	if (!directive_find("setenv") || !directive_find("tmpfs")) {
		ok(1, "print round trip # SKIP the directive table is not there yet");
		return;
	}
	profile_set_directive_handler(NULL);
	struct sandbox_config a, b;
	config_init(&a);
	config_init(&b);
	char *text = NULL, *again = NULL;
	size_t size = 0, size2 = 0;
	FILE *f = open_memstream(&text, &size);
	fputs("tmpfs /tmp size=64M\nhostname box\n", f);
	for (size_t i = 0; i < ARRAY_SIZE(nasty); i++) {
		fputs("setenv ", f);
		char *var = NULL;
		size_t vs = 0;
		FILE *vf = open_memstream(&var, &vs);
		fprintf(vf, "V%zu=%s", i, nasty[i]);
		fclose(vf);
		profile_quote_word(var, f);
		free(var);
		fputs("\ndir ", f);
		char dir[256];
		snprintf(dir, sizeof(dir), "/d%zu/%s", i, nasty[i]);
		profile_quote_word(dir, f);
		fputc('\n', f);
	}
	fclose(f);

	capture_start();
	FILE *in = fmemopen(text, strlen(text), "r");
	int r = profile_load_stream(&a, in, "nasty.profile");
	fclose(in);
	is_int(r, 0, "a profile of nasty words loads with the real directives");
	free(text);
	f = open_memstream(&text, &size);
	directive_print_config(&a, f);
	fclose(f);
	in = fmemopen(text, strlen(text), "r");
	r = profile_load_stream(&b, in, "printed.profile");
	fclose(in);
	capture_end();
	is_int(r, 0, "its printed form loads again");
	if (r)
		printf("# %s", logged);
	f = open_memstream(&again, &size2);
	directive_print_config(&b, f);
	fclose(f);
	is_str(again, text, "and prints the same");
	is_int(b.n_env, a.n_env, "same environment edits");
	for (size_t i = 0; i < a.n_env && i < b.n_env; i++)
		if (strcmp(a.env[i].value ? a.env[i].value : "",
			   b.env[i].value ? b.env[i].value : ""))
			ok(0, "env value %zu differs", i);
	free(text);
	free(again);
	config_free(&a);
	config_free(&b);
	profile_set_directive_handler(record);
}

static void find_dirs(void)
{
	const char *top = getenv("TOP_SRCDIR");
	char guess[PATH_MAX];
	if (!top) {
		/* Run by hand: __FILE__ is SRCDIR/tests/unit/test-profile.c, maybe relative. */
		snprintf(guess, sizeof(guess), "%s", __FILE__);
		char *cut = strstr(guess, "tests/unit/test-profile.c");
		if (cut)
			*cut = '\0';
		top = guess[0] ? guess : ".";
	}
	char real[PATH_MAX], cwd[PATH_MAX];
	if (!realpath(top, real) || !getcwd(cwd, sizeof(cwd))) {
		perror(top);
		exit(2);
	}
	fixtures = xasprintf("%s/tests/fixtures", real);
	shipped = xasprintf("%s/profiles", real);
	tmp = xasprintf("%s/test-profile.XXXXXX", cwd);
	if (!mkdtemp(tmp)) {
		perror(tmp);
		exit(2);
	}
}

int main(void)
{
	find_dirs();
	setenv("HOME", "/home/test", 1);
	setenv("XDG_CONFIG_HOME", tmp_path("empty-config"), 1);
	setenv("SANDBOX_PROFILE_PATH", tmp_path("nothing"), 1);
	profile_set_directive_handler(record);

	test_lexing();
	test_variables();
	test_lexer_errors();
	test_split();
	test_quoting();
	test_fixtures();
	test_search_path();
	test_shipped_profiles();
	test_print_round_trip();

	nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(calls);
	free(logged);
	return tap_done();
}
