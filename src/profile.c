/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * profile.c - the profile language: lexing, ${VAR} expansion, includes, the
 * search path, drop-ins, and quoting words back for --print-profile.
 *
 * This module reads profile files and nothing else: it never creates a
 * namespace and never interprets a directive. Every directive line is handed
 * to directive_apply(), which validates it; the loader stops at the first
 * error and returns it.
 *
 * The language
 * ------------
 * A profile is a text file NAME.profile with one directive per line: the
 * first word names the directive, the other words are its arguments. Blank
 * lines and comments are ignored.
 *
 * - Words are separated by spaces and tabs. An unquoted '#' that begins a
 *   word starts a comment that runs to the end of the line; `a#b` is a word.
 * - A backslash before a newline (outside single quotes) joins the two lines,
 *   as in a shell: both characters disappear, so `read \` + `  write` gives
 *   the words `read write`.
 * - Unquoted, a backslash makes the next character literal (`\ `, `\#`,
 *   `\$`, `\'`).
 * - Single quotes: everything up to the next single quote is literal,
 *   newlines included (this is how a word containing a newline is written).
 * - Double quotes: `\"`, `\\` and `\$` are escapes, `${VAR}` is expanded, any
 *   other backslash is kept; a double-quoted string ends on its own line.
 * - Quoted and unquoted parts join into one word: `a"b c"d` is `ab cd`; `''`
 *   is an empty word.
 * - ${VAR} is expanded outside single quotes, for exactly these names: HOME
 *   PWD UID GID USER XDG_RUNTIME_DIR XDG_CONFIG_HOME XDG_DATA_HOME
 *   XDG_CACHE_HOME. PWD is getcwd(), UID and GID the caller's ids, USER falls
 *   back to the password database, the XDG_*_HOME ones default to ~/.config,
 *   ~/.local/share and ~/.cache. HOME and XDG_RUNTIME_DIR must be set when
 *   used. The value is never lexed again.
 * - Errors, each reported at its exact FILE:LINE:COLUMN (columns count
 *   bytes): an unknown variable, a '$' not followed by {NAME}, an
 *   unterminated quote or ${, a backslash at the end of the file, a NUL
 *   byte, a line longer than 64 KiB.
 * - `include NAME|PATH...` (or `profile ...`) is handled here, in place: a
 *   word without '/' is NAME.profile in the search path, then its NAME.d/
 *   drop-ins; a word with '/' is a path relative to the including file.
 *   Include loops and chains deeper than PROFILE_MAX_DEPTH are errors.
 *
 * Search path: $XDG_CONFIG_HOME/sandbox/profiles (~/.config/...) first, then
 * SYSCONFDIR/sandbox/profiles and PKGDATADIR/profiles, which
 * $SANDBOX_PROFILE_PATH (colon-separated absolute directories) replaces.
 * Never the current directory. Drop-ins: NAME.d/FILE.profile from every search
 * directory, sorted by file name; a file name in an earlier directory masks
 * the same file name in a later one.
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>

#include "directive.h"
#include "profile.h"

#define PROFILE_MAX_LINE  65536u
#define PROFILE_MAX_SIZE  (4u << 20)
#define PROFILE_MAX_DEPTH 32
#define PROFILE_SUFFIX	  ".profile"

static int (*directive_handler)(struct sandbox_config *c, const struct directive_args *a);

void profile_set_directive_handler(int (*handler)(struct sandbox_config *c,
						  const struct directive_args *a))
{
	directive_handler = handler;
}

void profile_words_free(struct profile_words *w)
{
	strv_free(w->words);
	free(w->locs);
	*w = (struct profile_words){ 0 };
}

static void words_push(struct profile_words *w, char *word, const struct source_loc *loc)
{
	strv_push(&w->words, word);
	w->locs = xreallocarray(w->locs, w->n + 1, sizeof(*w->locs));
	w->locs[w->n++] = *loc;
}

/* A growable string; lexed words may hold any byte but NUL. */
struct strbuf {
	char *s;
	size_t len, cap;
};

static void sb_putn(struct strbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sb_putc(struct strbuf *b, char ch)
{
	sb_putn(b, &ch, 1);
}

static void sb_puts(struct strbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

/* --- variables ------------------------------------------------------------- */

static const char *const variable_names[] = {
	"HOME",
	"PWD",
	"UID",
	"GID",
	"USER",
	"XDG_RUNTIME_DIR",
	"XDG_CONFIG_HOME",
	"XDG_DATA_HOME",
	"XDG_CACHE_HOME",
};

static const char *env_nonempty(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

/* HOME or XDG_RUNTIME_DIR: no sane default exists, so an unset one is an error. */
static int required_env(const struct source_loc *loc, const char *name, const char **ret)
{
	*ret = env_nonempty(name);
	if (!*ret)
		return log_at(
			loc, "${%s} is used but %s is not set in the environment; expected %s",
			name, name,
			streq(name, "HOME") ? "an absolute path in $HOME"
					    : "a login session that sets it, or set it yourself");
	return 0;
}

/* XDG_CONFIG_HOME and friends: the XDG spec ignores relative values and has defaults. */
static int xdg_home(const struct source_loc *loc, const char *name, const char *fallback,
		    char **ret)
{
	const char *v = env_nonempty(name), *home;
	if (v && v[0] == '/') {
		*ret = xstrdup(v);
		return 0;
	}
	int r = required_env(loc, "HOME", &home);
	if (r < 0)
		return r;
	*ret = xasprintf("%s/%s", home, fallback);
	return 0;
}

static int variable_value(const struct source_loc *loc, const char *name, char **ret)
{
	const char *v;
	int r;

	if (streq(name, "UID")) {
		*ret = xasprintf("%u", (unsigned)getuid());
	} else if (streq(name, "GID")) {
		*ret = xasprintf("%u", (unsigned)getgid());
	} else if (streq(name, "PWD")) {
		*ret = getcwd(NULL, 0);
		if (!*ret)
			return log_at(loc,
				      "cannot expand ${PWD}: getcwd: %s; expected a current "
				      "directory that still exists",
				      strerror(errno));
	} else if (streq(name, "USER")) {
		v = env_nonempty("USER");
		if (!v) {
			struct passwd *pw = getpwuid(getuid());
			v = pw ? pw->pw_name : NULL;
		}
		if (!v)
			return log_at(
				loc,
				"cannot expand ${USER}: USER is not set and uid %u has no "
				"entry in the password database; expected USER in the environment",
				(unsigned)getuid());
		*ret = xstrdup(v);
	} else if (streq(name, "HOME") || streq(name, "XDG_RUNTIME_DIR")) {
		r = required_env(loc, name, &v);
		if (r < 0)
			return r;
		*ret = xstrdup(v);
	} else if (streq(name, "XDG_CONFIG_HOME")) {
		return xdg_home(loc, name, ".config", ret);
	} else if (streq(name, "XDG_DATA_HOME")) {
		return xdg_home(loc, name, ".local/share", ret);
	} else {
		return xdg_home(loc, name, ".cache", ret);
	}
	return 0;
}

static bool variable_known(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(variable_names); i++)
		if (streq(name, variable_names[i]))
			return true;
	return false;
}

/* --- the lexer ------------------------------------------------------------- */

struct lexer {
	const char *buf;
	size_t len, pos;
	struct source_loc at;		 /* of buf[pos] */
	const struct source_loc *origin; /* command line: every word is reported here */
	bool split;			 /* profile_split(): newlines only separate words */
};

static int peek(const struct lexer *lx, size_t off)
{
	return lx->pos + off < lx->len ? (unsigned char)lx->buf[lx->pos + off] : EOF;
}

static void advance(struct lexer *lx)
{
	if (lx->buf[lx->pos++] == '\n') {
		lx->at.line++;
		lx->at.column = 1;
	} else {
		lx->at.column++;
	}
}

static struct source_loc here(const struct lexer *lx)
{
	return lx->origin ? *lx->origin : lx->at;
}

/* Up to 32 bytes of the text at @pos, up to the end of its line, for messages. */
static char *snippet(const struct lexer *lx, size_t pos)
{
	size_t n = 0;
	while (pos + n < lx->len && lx->buf[pos + n] != '\n' && n < 32)
		n++;
	bool more = pos + n < lx->len && lx->buf[pos + n] != '\n';
	_cleanup_free_ char *s = xstrndup(lx->buf + pos, n);
	return xasprintf("%s%s", s, more ? "..." : "");
}

/* ${NAME} at lx->pos (the '$'): append its value to @b. */
static int lex_variable(struct lexer *lx, struct strbuf *b)
{
	struct source_loc loc = here(lx);
	size_t start = lx->pos;

	if (peek(lx, 1) != '{') {
		_cleanup_free_ char *s = snippet(lx, start);
		return log_at(&loc, "stray '$' in '%s'; expected ${NAME}, or \\$ for a literal '$'",
			      s);
	}
	advance(lx);
	advance(lx);
	size_t name_start = lx->pos;
	for (;;) {
		int ch = peek(lx, 0);
		if (ch == '}')
			break;
		if (ch == EOF || ch == '\n' || ch == ' ' || ch == '\t' || ch == '"' || ch == '\'') {
			_cleanup_free_ char *s = snippet(lx, start);
			return log_at(&loc, "unterminated '${' in '%s'; expected ${NAME}", s);
		}
		advance(lx);
	}
	_cleanup_free_ char *name = xstrndup(lx->buf + name_start, lx->pos - name_start);
	advance(lx); /* '}' */
	if (!variable_known(name))
		return log_at(&loc,
			      "unknown variable ${%s}; expected one of HOME, PWD, UID, GID, USER, "
			      "XDG_RUNTIME_DIR, XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_CACHE_HOME",
			      name);
	_cleanup_free_ char *value = NULL;
	int r = variable_value(&loc, name, &value);
	if (r < 0)
		return r;
	sb_puts(b, value);
	return 0;
}

static int lex_single_quoted(struct lexer *lx, struct strbuf *b)
{
	struct source_loc loc = here(lx);
	size_t start = lx->pos;

	advance(lx);
	for (;;) {
		int ch = peek(lx, 0);
		if (ch == EOF) {
			_cleanup_free_ char *s = snippet(lx, start);
			return log_at(
				&loc,
				"unterminated quote %s; expected a closing ' before the end of "
				"the %s",
				s, lx->origin ? "value" : "file");
		}
		advance(lx);
		if (ch == '\'')
			return 0;
		sb_putc(b, (char)ch);
	}
}

static int lex_double_quoted(struct lexer *lx, struct strbuf *b)
{
	struct source_loc loc = here(lx);
	size_t start = lx->pos;
	int r;

	advance(lx);
	for (;;) {
		int ch = peek(lx, 0), next = peek(lx, 1);
		if (ch == EOF || (ch == '\n' && !lx->split)) {
			_cleanup_free_ char *s = snippet(lx, start);
			return log_at(
				&loc,
				"unterminated quote %s; expected a closing \" on the same line", s);
		}
		if (ch == '"') {
			advance(lx);
			return 0;
		}
		if (ch == '\\' && (next == '"' || next == '\\' || next == '$')) {
			advance(lx);
			advance(lx);
			sb_putc(b, (char)next);
		} else if (ch == '\\' && next == '\n') {
			advance(lx);
			advance(lx);
		} else if (ch == '$') {
			r = lex_variable(lx, b);
			if (r < 0)
				return r;
		} else {
			advance(lx);
			sb_putc(b, (char)ch);
		}
	}
}

/* One word starting at lx->pos; *ret is NULL when there was nothing but a line join. */
static int lex_word(struct lexer *lx, char **ret)
{
	struct strbuf b = { 0 };
	bool quoted = false;
	int r = 0;

	for (;;) {
		int ch = peek(lx, 0), next = peek(lx, 1);
		if (ch == EOF || ch == ' ' || ch == '\t' || ch == '\n')
			break;
		if (ch == '\'') {
			quoted = true;
			r = lex_single_quoted(lx, &b);
		} else if (ch == '"') {
			quoted = true;
			r = lex_double_quoted(lx, &b);
		} else if (ch == '$') {
			r = lex_variable(lx, &b);
		} else if (ch == '\\' && next == EOF) {
			struct source_loc loc = here(lx);
			r = log_at(&loc, "'\\' at the end of the %s; expected a character after it",
				   lx->origin ? "value" : "file");
		} else if (ch == '\\') {
			advance(lx);
			advance(lx);
			if (next != '\n')
				sb_putc(&b, (char)next);
		} else {
			advance(lx);
			sb_putc(&b, (char)ch);
		}
		if (r < 0) {
			free(b.s);
			return r;
		}
	}
	if (!b.s && quoted)
		b.s = xstrdup("");
	*ret = b.s;
	return 0;
}

/*
 * lex_line() - the words of the next directive line (the rest of the text in
 * split mode). 1 when @ret holds words, 0 at the end of the text, or -errno.
 */
static int lex_line(struct lexer *lx, struct profile_words *ret)
{
	*ret = (struct profile_words){ .words = xcalloc(1, sizeof(char *)) };
	for (;;) {
		int ch = peek(lx, 0);
		if (ch == ' ' || ch == '\t') {
			advance(lx);
		} else if (ch == EOF) {
			return ret->n > 0;
		} else if (ch == '\n') {
			advance(lx);
			if (ret->n > 0 && !lx->split)
				return 1;
		} else if (ch == '#') {
			while (peek(lx, 0) != EOF && peek(lx, 0) != '\n')
				advance(lx);
		} else if (ch == '\\' && peek(lx, 1) == '\n') {
			advance(lx);
			advance(lx);
		} else {
			struct source_loc loc = here(lx);
			char *word = NULL;
			int r = lex_word(lx, &word);
			if (r < 0)
				return r;
			if (word)
				words_push(ret, word, &loc);
		}
	}
}

int profile_split(const char *text, const struct source_loc *loc, struct profile_words *ret)
{
	static const struct source_loc command_line = { 0 };
	struct lexer lx = { .buf = text, .len = strlen(text), .split = true };

	if (loc && loc->file)
		lx.at = *loc;
	else
		lx.origin = loc ? loc : &command_line;
	int r = lex_line(&lx, ret);
	if (r < 0) {
		profile_words_free(ret);
		return r;
	}
	return 0;
}

/* Refuse binary files and absurd lines before anything of the file is applied. */
static int check_text(const char *buf, size_t len, const char *file)
{
	struct source_loc loc = { .file = file, .line = 1, .column = 1 };

	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\0')
			return log_at(&loc, "NUL byte; expected a text file");
		if (buf[i] == '\n') {
			loc.line++;
			loc.column = 1;
		} else if (++loc.column > PROFILE_MAX_LINE) {
			return log_at(&loc,
				      "line longer than %u bytes; expected at most 64 KiB per line",
				      PROFILE_MAX_LINE);
		}
	}
	return 0;
}

/* --- loading --------------------------------------------------------------- */

/* One file being loaded; the stack of them is the include chain. */
struct frame {
	const char *display; /* as the user wrote it, for the chain in messages */
	bool have_id;
	dev_t dev;
	ino_t ino;
};

struct load_ctx {
	struct sandbox_config *c;
	struct frame stack[PROFILE_MAX_DEPTH];
	unsigned depth;
};

static int include_one(struct load_ctx *ctx, const char *word, const struct source_loc *loc);

/* "a -> b -> c" for the current chain, plus @last. */
static char *chain_string(const struct load_ctx *ctx, const char *last)
{
	struct strbuf b = { 0 };
	for (unsigned i = 0; i < ctx->depth; i++) {
		sb_puts(&b, ctx->stack[i].display);
		sb_puts(&b, " -> ");
	}
	sb_puts(&b, last);
	return b.s;
}

/* The file names that word locations point to live as long as the config. */
static const char *intern_file(struct sandbox_config *c, const char *path)
{
	for (char **p = c->profile_files; p && *p; p++)
		if (streq(*p, path))
			return *p;
	strv_push(&c->profile_files, xstrdup(path));
	return c->profile_files[strv_length(c->profile_files) - 1];
}

static int dispatch(struct load_ctx *ctx, const struct profile_words *w)
{
	if (streq(w->words[0], "include") || streq(w->words[0], "profile")) {
		if (w->n < 2)
			return log_at(&w->locs[0],
				      "'%s' without a profile; expected %s NAME|PATH...",
				      w->words[0], w->words[0]);
		for (size_t i = 1; i < w->n; i++) {
			int r = include_one(ctx, w->words[i], &w->locs[i]);
			if (r < 0)
				return r;
		}
		return 0;
	}
	struct directive_args a = {
		.name = w->words[0],
		.words = w->words + 1,
		.locs = w->locs + 1,
		.n = w->n - 1,
		.loc = w->locs[0],
	};
	return (directive_handler ? directive_handler : directive_apply)(ctx->c, &a);
}

static int parse_buffer(struct load_ctx *ctx, const char *buf, size_t len, const char *file)
{
	int r = check_text(buf, len, file);
	if (r < 0)
		return r;
	struct lexer lx = { .buf = buf, .len = len, .at = { file, 1, 1 } };
	for (;;) {
		_cleanup_(profile_words_free) struct profile_words w = { 0 };
		r = lex_line(&lx, &w);
		if (r <= 0)
			return r;
		r = dispatch(ctx, &w);
		if (r < 0)
			return r;
	}
}

/* Parse the text of one file as a new link of the include chain. */
static int load_text(struct load_ctx *ctx, const char *buf, size_t len, struct frame *f,
		     const char *path, const struct source_loc *from)
{
	for (unsigned i = 0; f->have_id && i < ctx->depth; i++) {
		if (ctx->stack[i].have_id && ctx->stack[i].dev == f->dev &&
		    ctx->stack[i].ino == f->ino) {
			_cleanup_free_ char *chain = chain_string(ctx, f->display);
			return log_at(from,
				      "include loop: %s; expected each profile at most once "
				      "in a chain of includes",
				      chain);
		}
	}
	if (ctx->depth >= PROFILE_MAX_DEPTH) {
		_cleanup_free_ char *chain = chain_string(ctx, f->display);
		return log_at(from, "includes nested more than %d deep: %s; expected fewer levels",
			      PROFILE_MAX_DEPTH, chain);
	}
	ctx->stack[ctx->depth++] = *f;
	int r = parse_buffer(ctx, buf, len, intern_file(ctx->c, path));
	ctx->depth--;
	return r;
}

/*
 * Open a profile file without blocking on a FIFO or a device. -ENOENT is
 * returned without a message when @missing_ok; everything else is logged.
 */
static int open_profile(const char *path, const struct source_loc *from, bool missing_ok)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		int r = -errno;
		if (missing_ok && (r == -ENOENT || r == -ENOTDIR))
			return -ENOENT;
		log_at(from, "cannot open profile '%s': %s", path, strerror(-r));
		return r;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		log_at(from, "'%s' is not a regular file; expected a profile", path);
		return -EINVAL;
	}
	return fd;
}

/* Read all of @fd (a regular file; procfs ones report size 0) up to PROFILE_MAX_SIZE. */
static int read_profile(int fd, const char *path, const struct source_loc *from, char **ret,
			size_t *ret_len)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, cap = 0;

	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap);
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int r = -errno;
			log_at(from, "cannot read profile '%s': %s", path, strerror(-r));
			return r;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > PROFILE_MAX_SIZE) {
			log_at(from, "profile '%s' is larger than 4 MiB; expected a text file",
			       path);
			return -EFBIG;
		}
	}
	*ret = STEAL_PTR(buf);
	*ret_len = len;
	return 0;
}

static int load_fd(struct load_ctx *ctx, int fd_in, const char *path, const char *display,
		   const struct source_loc *from)
{
	_cleanup_close_ int fd = fd_in;
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	struct stat st;

	if (fstat(fd, &st) < 0)
		return log_errno(-errno, "cannot stat profile '%s'", path);
	int r = read_profile(fd, path, from, &buf, &len);
	if (r < 0)
		return r;
	struct frame f = { .display = display, .have_id = true, .dev = st.st_dev, .ino = st.st_ino };
	return load_text(ctx, buf, len, &f, path, from);
}

/* "~/.config/sandbox/profiles, /etc/sandbox/profiles" for messages. */
static char *dirs_string(char **dirs)
{
	const char *home = env_nonempty("HOME");
	size_t home_len = home ? strlen(home) : 0;
	struct strbuf b = { 0 };

	for (char **d = dirs; *d; d++) {
		if (d != dirs)
			sb_puts(&b, ", ");
		if (home && strncmp(*d, home, home_len) == 0 && (*d)[home_len] == '/') {
			sb_putc(&b, '~');
			sb_puts(&b, *d + home_len);
		} else {
			sb_puts(&b, *d);
		}
	}
	return b.s ? b.s : xstrdup("no directory");
}

struct dropin {
	char *name; /* file name, the sort key */
	char *path;
};

static int dropin_compare(const void *a, const void *b)
{
	return strcmp(((const struct dropin *)a)->name, ((const struct dropin *)b)->name);
}

static bool has_profile_suffix(const char *name)
{
	size_t n = strlen(name), s = strlen(PROFILE_SUFFIX);
	return n > s && name[0] != '.' && streq(name + n - s, PROFILE_SUFFIX);
}

/* Collect NAME.d/FILE.profile of one directory, skipping file names already seen. */
static int collect_dropins(const char *dir, const struct source_loc *from, struct dropin **list,
			   size_t *n)
{
	DIR *d = opendir(dir);
	if (!d) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		int r = -errno;
		log_at(from, "cannot read drop-in directory '%s': %s", dir, strerror(-r));
		return r;
	}
	for (struct dirent *e; (e = readdir(d));) {
		if (!has_profile_suffix(e->d_name))
			continue;
		bool seen = false;
		for (size_t i = 0; i < *n && !seen; i++)
			seen = streq((*list)[i].name, e->d_name);
		if (seen)
			continue;
		*list = xreallocarray(*list, *n + 1, sizeof(**list));
		(*list)[(*n)++] = (struct dropin){
			.name = xstrdup(e->d_name),
			.path = xasprintf("%s/%s", dir, e->d_name),
		};
	}
	closedir(d);
	return 0;
}

static int load_dropins(struct load_ctx *ctx, const char *name, char **dirs,
			const struct source_loc *from)
{
	struct dropin *list = NULL;
	size_t n = 0;
	int r = 0;

	for (char **d = dirs; *d && r >= 0; d++) {
		_cleanup_free_ char *dir = xasprintf("%s/%s.d", *d, name);
		r = collect_dropins(dir, from, &list, &n);
	}
	if (r >= 0 && n > 0)
		qsort(list, n, sizeof(*list), dropin_compare);
	for (size_t i = 0; i < n && r >= 0; i++) {
		int fd = open_profile(list[i].path, from, false);
		r = fd < 0 ? fd : load_fd(ctx, fd, list[i].path, list[i].path, from);
	}
	for (size_t i = 0; i < n; i++) {
		free(list[i].name);
		free(list[i].path);
	}
	free(list);
	return r;
}

static int load_name(struct load_ctx *ctx, const char *name, const struct source_loc *from)
{
	_cleanup_strv_free_ char **dirs = profile_search_path();
	int r = -ENOENT;

	for (char **d = dirs; *d && r == -ENOENT; d++) {
		_cleanup_free_ char *path = xasprintf("%s/%s" PROFILE_SUFFIX, *d, name);
		int fd = open_profile(path, from, true);
		if (fd == -ENOENT)
			continue;
		if (fd < 0)
			return fd;
		r = load_fd(ctx, fd, path, name, from);
		if (r < 0)
			return r;
	}
	if (r == -ENOENT) {
		_cleanup_free_ char *searched = dirs_string(dirs);
		log_at(from,
		       "no profile '%s' (searched %s); expected the name of a profile, "
		       "see --list-profiles",
		       name, searched);
		return -ENOENT;
	}
	return load_dropins(ctx, name, dirs, from);
}

static int include_one(struct load_ctx *ctx, const char *word, const struct source_loc *loc)
{
	if (!*word)
		return log_at(loc, "empty profile name; expected NAME or PATH");
	if (!strchr(word, '/'))
		return load_name(ctx, word, loc);

	/* A relative path is relative to the directory of the including file. */
	const char *slash = loc->file ? strrchr(loc->file, '/') : NULL;
	_cleanup_free_ char *path =
		word[0] == '/' || !slash
			? xstrdup(word)
			: xasprintf("%.*s/%s", (int)(slash - loc->file), loc->file, word);
	int fd = open_profile(path, loc, false);
	if (fd < 0)
		return fd;
	return load_fd(ctx, fd, path, word, loc);
}

int profile_load(struct sandbox_config *c, const char *name_or_path, const struct source_loc *from)
{
	static const struct source_loc command_line = { 0 };
	struct load_ctx ctx = { .c = c };

	int r = include_one(&ctx, name_or_path, from ? from : &command_line);
	if (r < 0)
		return r;
	strv_push(&c->profile_names, xstrdup(name_or_path));
	return 0;
}

int profile_load_stream(struct sandbox_config *c, FILE *f, const char *filename)
{
	struct source_loc loc = { .file = filename };
	struct load_ctx ctx = { .c = c };
	struct frame fr = { .display = filename };
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, cap = 0;

	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap);
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (len > PROFILE_MAX_SIZE)
			return log_at(&loc, "profile is larger than 4 MiB; expected a text file");
		if (n == 0)
			break;
	}
	if (ferror(f))
		return log_errno(-EIO, "cannot read profile '%s'", filename);

	struct stat st;
	int fd = fileno(f);
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		fr = (struct frame){
			.display = filename, .have_id = true, .dev = st.st_dev, .ino = st.st_ino
		};
	return load_text(&ctx, buf ? buf : "", len, &fr, filename, &loc);
}

/* --- the search path ------------------------------------------------------- */

static void push_dir(char ***v, char *dir)
{
	for (char **p = *v; p && *p; p++) {
		if (streq(*p, dir)) {
			free(dir);
			return;
		}
	}
	strv_push(v, dir);
}

char **profile_search_path(void)
{
	char **v = NULL;
	const char *xdg = env_nonempty("XDG_CONFIG_HOME"), *home = env_nonempty("HOME");

	if (!home) {
		struct passwd *pw = getpwuid(getuid());
		home = pw && pw->pw_dir && pw->pw_dir[0] == '/' ? pw->pw_dir : NULL;
	}
	if (xdg && xdg[0] == '/')
		push_dir(&v, xasprintf("%s/sandbox/profiles", xdg));
	else if (home)
		push_dir(&v, xasprintf("%s/.config/sandbox/profiles", home));

	/* Relative entries are dropped: names never resolve against the cwd. */
	const char *env = getenv("SANDBOX_PROFILE_PATH");
	if (env) {
		_cleanup_free_ char *copy = xstrdup(env);
		char *save = NULL;
		for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save))
			if (d[0] == '/')
				push_dir(&v, xstrdup(d));
	} else {
		push_dir(&v, xstrdup(SYSCONFDIR "/sandbox/profiles"));
		push_dir(&v, xstrdup(PKGDATADIR "/profiles"));
	}
	return v ? v : xcalloc(1, sizeof(char *));
}

static int name_compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int profile_list(FILE *f)
{
	_cleanup_strv_free_ char **dirs = profile_search_path();
	_cleanup_strv_free_ char **names = NULL;

	for (char **d = dirs; *d; d++) {
		DIR *dir = opendir(*d);
		if (!dir) {
			if (errno == ENOENT || errno == ENOTDIR)
				continue;
			return log_errno(-errno, "cannot list profiles in '%s'", *d);
		}
		for (struct dirent *e; (e = readdir(dir));) {
			struct stat st;
			if (!has_profile_suffix(e->d_name) ||
			    fstatat(dirfd(dir), e->d_name, &st, 0) < 0 || !S_ISREG(st.st_mode))
				continue;
			char *name =
				xstrndup(e->d_name, strlen(e->d_name) - strlen(PROFILE_SUFFIX));
			bool seen = false;
			for (char **p = names; p && *p && !seen; p++)
				seen = streq(*p, name);
			if (seen)
				free(name);
			else
				strv_push(&names, name);
		}
		closedir(dir);
	}
	if (names)
		qsort(names, strv_length(names), sizeof(char *), name_compare);
	for (char **p = names; p && *p; p++)
		fprintf(f, "%s\n", *p);
	return 0;
}

/* --- quoting --------------------------------------------------------------- */

static bool safe_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       (ch && strchr("/_.,:=@+%-", ch));
}

void profile_quote_word(const char *w, FILE *f)
{
	bool bare = *w != '\0';
	for (const char *p = w; *p && bare; p++)
		bare = safe_char((unsigned char)*p);
	if (bare) {
		fputs(w, f);
		return;
	}
	/* Inside single quotes nothing is special but the quote itself, which
	 * closes, is written escaped outside, and reopens: 'it'\''s'. */
	fputc('\'', f);
	for (; *w; w++) {
		if (*w == '\'')
			fputs("'\\''", f);
		else
			fputc(*w, f);
	}
	fputc('\'', f);
}
