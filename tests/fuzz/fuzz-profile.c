/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-profile.c - libFuzzer target for the profile language.
 *
 * Each input is loaded as a profile with the real directive table (includes by
 * name resolve in $SANDBOX_PROFILE_PATH, which run-fuzz points at the shipped
 * profiles; nothing is ever written). Then two properties are checked, and a
 * violation aborts so libFuzzer keeps the input:
 * - every word profile_split() makes of the input reads back unchanged after
 *   profile_quote_word();
 * - a config that loaded prints (--print-profile) as a profile that loads
 *   again and prints the same.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "directive.h"
#include "profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void setup(void)
{
	static FILE *devnull;
	if (devnull)
		return;
	devnull = fopen("/dev/null", "w");
	log_set_stream(devnull);
	/* Known values, so inputs behave the same on every machine. */
	setenv("HOME", "/home/fuzz", 1);
	setenv("USER", "fuzz", 1);
	setenv("XDG_RUNTIME_DIR", "/run/user/fuzz", 1);
	setenv("XDG_CONFIG_HOME", "/nonexistent/fuzz-config", 1);
}

static void check_quoting(const char *text)
{
	struct source_loc loc = { .file = "fuzz.split", .line = 1, .column = 1 };
	struct profile_words w = { 0 };

	if (profile_split(text, &loc, &w) < 0)
		return;
	for (size_t i = 0; i < w.n; i++) {
		char *quoted = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&quoted, &len);
		profile_quote_word(w.words[i], f);
		fclose(f);
		struct profile_words back = { 0 };
		if (profile_split(quoted, &loc, &back) < 0 || back.n != 1 ||
		    strcmp(back.words[0], w.words[i]) != 0)
			abort();
		profile_words_free(&back);
		free(quoted);
	}
	profile_words_free(&w);
}

static char *print_config(const struct sandbox_config *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	directive_print_config(c, f);
	fclose(f);
	return text;
}

static void check_print(const struct sandbox_config *c)
{
	_cleanup_free_ char *first = print_config(c);
	struct sandbox_config again;
	config_init(&again);
	if (first[0]) {
		FILE *f = fmemopen(first, strlen(first), "r");
		if (profile_load_stream(&again, f, "printed.profile") < 0)
			abort();
		fclose(f);
	}
	_cleanup_free_ char *second = print_config(&again);
	if (strcmp(first, second) != 0)
		abort();
	config_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	if (size == 0)
		return 0;

	struct sandbox_config c;
	config_init(&c);
	FILE *f = fmemopen((void *)data, size, "r");
	if (f) {
		int r = profile_load_stream(&c, f, "fuzz.profile");
		fclose(f);
		if (r >= 0)
			check_print(&c);
	}
	config_free(&c);

	char *text = strndup((const char *)data, size);
	if (text)
		check_quoting(text);
	free(text);
	return 0;
}
