/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-userns.c - which advice userns_advice() gives for which machine: the
 * sysctls that disable or restrict user namespaces cannot be changed by an
 * unprivileged test, so the choice is tested here, as a pure function.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "idmap.h"
#include "tap.h"

/* A machine where user namespaces just work. */
static struct userns_facts healthy(void)
{
	return (struct userns_facts){
		.unprivileged_userns_clone = -1,
		.max_user_namespaces = 63000,
		.apparmor_restrict = -1,
		.apparmor_label = "unconfined\n",
		.clone_failed = true,
		.err = -EPERM,
		.exe = "/usr/bin/sandbox",
		.installed_exe = "/usr/bin/sandbox",
		.apparmor_profile = "/usr/share/sandbox/apparmor/sandbox",
	};
}

static void test_disabled(void)
{
	struct userns_facts f = healthy();
	f.unprivileged_userns_clone = 0;
	char *a = userns_advice(&f);
	has_str(a, "sudo sysctl -w kernel.unprivileged_userns_clone=1",
		"unprivileged_userns_clone=0: says how to enable it");
	free(a);

	f = healthy();
	f.max_user_namespaces = 0;
	a = userns_advice(&f);
	has_str(a, "user.max_user_namespaces is 0", "max_user_namespaces=0: names it");
	has_str(a, "sudo sysctl -w user.max_user_namespaces=", "and says how to raise it");
	free(a);

	f = healthy();
	f.err = -ENOSPC;
	a = userns_advice(&f);
	has_str(a, "limit of nested or per-user namespaces", "ENOSPC: the limit is reached");
	free(a);
}

static void test_apparmor(void)
{
	struct userns_facts f = healthy();
	f.apparmor_restrict = 1;
	f.clone_failed = false;
	char *a = userns_advice(&f);
	has_str(a, "kernel.apparmor_restrict_unprivileged_userns=1",
		"restricted, setup failed inside: names the AppArmor restriction");
	has_str(a,
		"sudo install -m 644 /usr/share/sandbox/apparmor/sandbox "
		"/etc/apparmor.d/sandbox && sudo apparmor_parser -r /etc/apparmor.d/sandbox",
		"and gives the command that installs the shipped profile");
	ok(!strstr(a, "this binary is"), "the installed binary needs no path change");
	free(a);

	f.exe = "/home/me/src/sandbox/build/sandbox";
	a = userns_advice(&f);
	has_str(a, "this binary is /home/me/src/sandbox/build/sandbox",
		"another binary: says the profile's path must change");
	free(a);

	f = healthy();
	f.apparmor_restrict = 1;
	a = userns_advice(&f);
	has_str(a, "apparmor_parser", "restricted, clone itself failed with EPERM: AppArmor too");
	free(a);

	f = healthy();
	f.apparmor_restrict = 1;
	f.clone_failed = false;
	f.apparmor_label = "sandbox (unconfined)\n";
	ok(userns_advice(&f) == NULL, "under our own AppArmor profile: no AppArmor advice");

	f = healthy();
	f.apparmor_restrict = 1;
	f.unprivileged_userns_clone = 0;
	a = userns_advice(&f);
	has_str(a, "kernel.unprivileged_userns_clone=1", "a disabled clone comes first");
	free(a);
}

static void test_nothing_known(void)
{
	struct userns_facts f = healthy();
	ok(userns_advice(&f) == NULL, "a healthy machine: no advice, the error is shown as is");
	f.clone_failed = false;
	ok(userns_advice(&f) == NULL, "a failure inside a healthy machine: no advice");
	f.apparmor_restrict = 0;
	ok(userns_advice(&f) == NULL, "restriction off: no advice");
}

int main(void)
{
	test_disabled();
	test_apparmor();
	test_nothing_known();
	return tap_done();
}
