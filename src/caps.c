/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * caps.c - drop to the payload's user and capabilities (see caps.h).
 *
 * Order matters, and each step needs what the one before leaves:
 *   1. securebits: NOROOT so a later execve as uid 0 does not refill the
 *      permitted set; NO_SETUID_FIXUP so step 3 does not clear what step 4
 *      still needs, cleared and locked right after step 3. Needs CAP_SETPCAP.
 *   2. bounding set: drop everything not kept. Needs CAP_SETPCAP.
 *   3. setgroups, setresgid, setresuid. Need CAP_SETGID/CAP_SETUID.
 *   4. inheritable, permitted, effective: reduce to the kept set (reducing
 *      needs no capability).
 *   5. ambient: raise the kept ones so they survive execve as a non-root
 *      user; clear the rest.
 */
#include "config.h"

#include <grp.h>
#include <linux/securebits.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "caps.h"
#include "log.h"

static void cap_freep(cap_t *c)
{
	if (*c)
		cap_free(*c);
}

static int last_cap(void)
{
	static int last = -1;
	if (last < 0) {
		last = (int)cap_max_bits() - 1;
		if (last < 0 || last > 63)
			last = CAP_LAST_CAP;
	}
	return last;
}

int caps_become(const struct caps_target *t)
{
	int secbits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
		      SECBIT_KEEP_CAPS_LOCKED;
	if (prctl(PR_SET_SECUREBITS, secbits, 0, 0, 0) < 0)
		return log_errno(-errno, "cannot lock the securebits");

	for (int cap = 0; cap <= last_cap(); cap++) {
		if (t->keep & (UINT64_C(1) << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return log_errno(-errno, "cannot drop capability %d from the bounding set",
					 cap);
	}

	if (t->can_setgroups && setgroups(0, NULL) < 0)
		return log_errno(-errno, "cannot clear the supplementary groups");
	if (setresgid(t->gid, t->gid, t->gid) < 0)
		return log_errno(-errno, "cannot switch to gid %u", (unsigned)t->gid);
	if (setresuid(t->uid, t->uid, t->uid) < 0)
		return log_errno(-errno, "cannot switch to uid %u", (unsigned)t->uid);
	/* Our own switch is done: from here a uid change of the payload's clears
	 * its capabilities as usual, so a program that drops from root to its
	 * own user (apt to _apt) really loses them, and checks that it did. */
	secbits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP_LOCKED |
		  SECBIT_KEEP_CAPS_LOCKED;
	if (prctl(PR_SET_SECUREBITS, secbits, 0, 0, 0) < 0)
		return log_errno(-errno, "cannot lock the securebits");

	_cleanup_(cap_freep) cap_t caps = cap_init(); /* all clear */
	if (!caps)
		return log_errno(-errno, "cannot allocate capability state");
	for (int cap = 0; cap <= last_cap(); cap++) {
		if (!(t->keep & (UINT64_C(1) << cap)))
			continue;
		cap_value_t v = cap;
		cap_set_flag(caps, CAP_EFFECTIVE, 1, &v, CAP_SET);
		cap_set_flag(caps, CAP_PERMITTED, 1, &v, CAP_SET);
		cap_set_flag(caps, CAP_INHERITABLE, 1, &v, CAP_SET);
	}
	if (cap_set_proc(caps) < 0)
		return log_errno(-errno, "cannot set the capability sets");

	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return log_errno(-errno, "cannot clear the ambient capabilities");
	for (int cap = 0; cap <= last_cap(); cap++) {
		if (!(t->keep & (UINT64_C(1) << cap)))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			return log_errno(-errno, "cannot keep capability %d across exec", cap);
	}
	return 0;
}
