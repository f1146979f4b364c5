/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-directive.c - the directive table: value parsers, word counts, what
 * each directive puts in the config, and the exact error messages.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "directive.h"
#include "tap.h"

static char *messages;
static size_t messages_len;
static FILE *messages_f;

static void capture(void)
{
	if (messages_f)
		fclose(messages_f);
	free(messages);
	messages = NULL;
	messages_f = open_memstream(&messages, &messages_len);
	log_set_stream(messages_f);
}

static const char *captured(void)
{
	fflush(messages_f);
	return messages ? messages : "";
}

/* Apply `name words...` (a NULL-terminated list) as if from file t.profile, line 7. */
static int apply(struct sandbox_config *c, const char *name, const char *const *words)
{
	size_t n = 0;
	while (words && words[n])
		n++;
	struct source_loc locs[16];
	for (size_t i = 0; i < n; i++)
		locs[i] = (struct source_loc){ "t.profile", 7, (unsigned)(10 + 5 * i) };
	struct directive_args a = {
		.name = name,
		.words = (char **)(words ? words : (const char *const[]){ NULL }),
		.locs = locs,
		.n = n,
		.loc = { "t.profile", 7, 1 },
	};
	capture();
	return directive_apply(c, &a);
}

#define W(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void test_value_parsers(void)
{
	bool b = false;
	ok(parse_bool_word("yes", &b) == 0 && b, "yes is true");
	ok(parse_bool_word("off", &b) == 0 && !b, "off is false");
	ok(parse_bool_word("maybe", &b) < 0, "maybe is not a boolean");

	uint64_t size = 0;
	ok(parse_size_word("64M", &size) == 0 && size == 64u << 20, "64M");
	ok(parse_size_word("1GiB", &size) == 0 && size == 1u << 30, "1GiB");
	ok(parse_size_word("4096", &size) == 0 && size == 4096, "a plain number");
	ok(parse_size_word("12X", &size) < 0, "an unknown suffix is refused");
	ok(parse_size_word("-1", &size) < 0, "a negative size is refused");
	ok(parse_size_word("99999999999T", &size) < 0, "an overflowing size is refused");

	mode_t mode = 0;
	ok(parse_mode_word("1777", &mode) == 0 && mode == 01777, "mode 1777");
	ok(parse_mode_word("0800", &mode) < 0, "8 is not an octal digit");
	ok(parse_mode_word("17777", &mode) < 0, "a mode above 07777 is refused");
}

static void test_binds(void)
{
	struct sandbox_config c;
	config_init(&c);
	is_int(apply(&c, "ro-bind", W("/usr", "/a\\:b:/opt/x", "/etc:/host-etc")), 0,
	       "ro-bind takes several SRC[:DEST] words");
	is_int(c.n_mounts, 3, "one mount op per word");
	is_str(c.mounts[0].dest, "/usr", "without a DEST the source path is used");
	is_str(c.mounts[1].src, "/a:b", "\\: is a colon in the source");
	is_str(c.mounts[1].dest, "/opt/x", "the DEST after the first plain colon");
	ok(c.mounts[2].kind == MOUNT_RO_BIND && !c.mounts[2].try_, "kind and try flag");

	is_int(apply(&c, "bind-try", W("//srv/./data/")), 0, "bind-try normalises the path");
	is_str(c.mounts[3].src, "/srv/data", "// and /./ collapse, the trailing / goes");
	ok(c.mounts[3].try_ && c.mounts[3].kind == MOUNT_BIND, "bind-try is a writable try bind");

	ok(apply(&c, "bind", W("/srv:/a/../../etc")) < 0, "a destination with .. is refused");
	has_str(captured(), "t.profile:7:10: destination '/a/../../etc' contains '..'",
		"the message names the word and its place");
	ok(apply(&c, "dev-bind", W(":/x")) < 0, "an empty source is refused");
	has_str(captured(), "empty source", "and says so");
	config_free(&c);
}

static void test_counts_and_unknowns(void)
{
	struct sandbox_config c;
	config_init(&c);
	ok(apply(&c, "ro-bnid", W("/usr")) < 0, "an unknown directive is refused");
	is_str(captured(), "t.profile:7:1: unknown directive 'ro-bnid'; did you mean 'ro-bind'?\n",
	       "with the closest name");
	ok(apply(&c, "frobnicate", W("x")) < 0, "a name far from every directive");
	has_str(captured(), "expected a directive such as", "gets the general hint");
	ok(apply(&c, "symlink", W("only-one")) < 0, "symlink needs two words");
	has_str(captured(), "symlink needs more words: expected symlink 'TARGET LINK'",
		"the message shows the expected form");
	ok(apply(&c, "hostname", W("a", "b")) < 0, "hostname takes one word");
	has_str(captured(), "t.profile:7:15: hostname has too many words",
		"the location is the first extra word");
	config_free(&c);
}

static void test_tmpfs(void)
{
	struct sandbox_config c;
	config_init(&c);
	is_int(apply(&c, "tmpfs", W("/tmp", "size=64M", "mode=1777")), 0, "tmpfs with options");
	ok(c.mounts[0].size == 64u << 20 && c.mounts[0].has_mode && c.mounts[0].mode == 01777,
	   "size and mode are kept");
	ok(apply(&c, "tmpfs", W("/tmp", "sise=1M")) < 0, "an unknown tmpfs option");
	has_str(captured(), "unknown tmpfs option 'sise=1M'; expected size=N or mode=OCTAL",
		"names the option and what is allowed");
	ok(apply(&c, "tmpfs", W("/tmp", "size=0")) < 0, "a zero size is refused");
	config_free(&c);
}

static void test_single_values_last_word_wins(void)
{
	struct sandbox_config c;
	config_init(&c);
	apply(&c, "net", W("user"));
	apply(&c, "share", W("net"));
	ok(c.net == NET_HOST && c.share[NS_NET], "share net means the host's network");
	apply(&c, "net", W("none"));
	ok(c.net == NET_NONE && !c.share[NS_NET], "a later net none wins over share net");
	ok(apply(&c, "share", W("user")) < 0, "the user namespace cannot be shared");
	has_str(captured(), "always new", "and the message says why");

	apply(&c, "user", W("1234:55"));
	ok(c.user == USER_ID && c.uid == 1234 && c.gid == 55, "user UID:GID");
	apply(&c, "user", W("42"));
	ok(c.uid == 42 && c.gid == 42, "user UID alone uses it as the gid too");
	apply(&c, "user", W("self"));
	ok(c.user == USER_SELF, "a later user self wins");
	ok(apply(&c, "user", W("65534")) < 0, "the overflow id is refused");
	ok(apply(&c, "user", W("nobody")) < 0, "a name is refused");
	has_str(captured(), "bad user 'nobody'", "naming the word");

	apply(&c, "hostname", W("first"));
	apply(&c, "hostname", W("second"));
	is_str(c.hostname, "second", "the last hostname wins");
	ok(apply(&c, "hostname", W("-bad")) < 0, "a hostname may not start with '-'");
	config_free(&c);
}

static void test_caps_env_rlimits(void)
{
	struct sandbox_config c;
	config_init(&c);
	is_int(apply(&c, "cap-add", W("CAP_NET_BIND_SERVICE", "sys_chroot")), 0,
	       "capabilities by either spelling");
	ok(c.cap_keep == ((UINT64_C(1) << 10) | (UINT64_C(1) << 18)), "bits 10 and 18");
	apply(&c, "cap-drop", W("net_bind_service"));
	ok(c.cap_keep == (UINT64_C(1) << 18), "cap-drop undoes cap-add");
	ok(apply(&c, "cap-add", W("CAP_WISHFUL")) < 0, "an unknown capability");
	has_str(captured(), "unknown capability 'CAP_WISHFUL'", "is named");

	is_int(apply(&c, "setenv", W("A=1", "B=x=y")), 0, "setenv VAR=VALUE");
	ok(c.n_env == 2 && streq(c.env[1].name, "B") && streq(c.env[1].value, "x=y"),
	   "the value may hold '='");
	ok(apply(&c, "setenv", W("1A=x")) < 0, "a name may not start with a digit");
	ok(apply(&c, "unsetenv", W("BAD-NAME")) < 0, "unsetenv checks the name");

	is_int(apply(&c, "rlimit", W("nofile=1024:4096", "as=4G")), 0, "rlimits");
	ok(c.n_rlimits == 2 && c.rlimits[0].soft == 1024 && c.rlimits[0].hard == 4096,
	   "soft and hard");
	apply(&c, "rlimit", W("nofile=512"));
	ok(c.n_rlimits == 2 && c.rlimits[0].soft == 512 && c.rlimits[0].hard == 512,
	   "the last word wins per resource");
	ok(apply(&c, "rlimit", W("nofile=10:5")) < 0, "soft above hard is refused");
	ok(apply(&c, "rlimit", W("files=1")) < 0, "an unknown limit");
	has_str(captured(), "unknown limit 'files'", "is named");
	config_free(&c);
}

static void test_publish(void)
{
	struct sandbox_config c;
	config_init(&c);
	is_int(apply(&c, "publish", W("8080:80", "5353:53/udp")), 0, "publish");
	ok(c.n_publish == 2 && c.publish[0].host_port == 8080 && c.publish[1].udp,
	   "ports and protocol");
	ok(apply(&c, "publish", W("0:80")) < 0, "port 0 is refused");
	ok(apply(&c, "publish", W("80")) < 0, "a mapping needs both ports");
	ok(apply(&c, "publish", W("80:80/sctp")) < 0, "only tcp and udp");
	config_free(&c);
}

static void test_print_round_trip(void)
{
	/* What --print-profile prints for a config holds every value set above. */
	struct sandbox_config c;
	config_init(&c);
	apply(&c, "ro-bind", W("/a\\:b:/opt/x"));
	apply(&c, "tmpfs", W("/t", "size=1M", "mode=0700"));
	apply(&c, "setenv", W("X=a b"));
	apply(&c, "user", W("7:8"));
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	directive_print_config(&c, f);
	fclose(f);
	has_str(text, "ro-bind '/a\\:b:/opt/x'\n", "a colon in a path is escaped");
	has_str(text, "tmpfs /t size=1048576 mode=0700\n", "tmpfs options are printed");
	has_str(text, "setenv 'X=a b'\n", "a value with a space is quoted");
	has_str(text, "user 7:8\n", "the user is printed");
	free(text);
	config_free(&c);
}

int main(void)
{
	test_value_parsers();
	test_binds();
	test_counts_and_unknowns();
	test_tmpfs();
	test_single_values_last_word_wins();
	test_caps_env_rlimits();
	test_publish();
	test_print_round_trip();
	log_set_stream(NULL);
	if (messages_f)
		fclose(messages_f);
	free(messages);
	return tap_done();
}
