/* SPDX-License-Identifier: GPL-2.0-or-later */
/* profile.c - STUB, to be replaced by the profile language implementation. */
#include "config.h"

#include <string.h>

#include "directive.h"
#include "profile.h"

void profile_words_free(struct profile_words *w)
{
	strv_free(w->words);
	free(w->locs);
	*w = (struct profile_words){ 0 };
}

int profile_split(const char *text, const struct source_loc *loc, struct profile_words *ret)
{
	*ret = (struct profile_words){ 0 };
	_cleanup_free_ char *copy = xstrdup(text);
	for (char *s = strtok(copy, " \t"); s; s = strtok(NULL, " \t")) {
		strv_push(&ret->words, xstrdup(s));
		ret->locs = xreallocarray(ret->locs, ret->n + 1, sizeof(*ret->locs));
		ret->locs[ret->n++] = *loc;
	}
	return 0;
}

int profile_load(struct sandbox_config *c, const char *name_or_path, const struct source_loc *from)
{
	return log_at(from, "profiles are not implemented yet: '%s'", name_or_path);
}

int profile_load_stream(struct sandbox_config *c, FILE *f, const char *filename)
{
	return -ENOSYS;
}

char **profile_search_path(void)
{
	return xcalloc(1, sizeof(char *));
}

int profile_list(FILE *f)
{
	return 0;
}

void profile_quote_word(const char *w, FILE *f)
{
	fputc('\'', f);
	for (; *w; w++) {
		if (*w == '\'')
			fputs("'\\''", f);
		else
			fputc(*w, f);
	}
	fputc('\'', f);
}
