/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * probe-status - print who this process is and what it holds: its ids, its
 * capability sets, NoNewPrivs, Seccomp and its session, one "Name: value" per
 * line. Run inside the sandbox (or as a setuid copy) by the tests.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	printf("Uid: %d\nEuid: %d\nGid: %d\nEgid: %d\n", (int)getuid(), (int)geteuid(),
	       (int)getgid(), (int)getegid());
	printf("Pid: %d\nSid: %d\nPgid: %d\n", (int)getpid(), (int)getsid(0), (int)getpgid(0));
	FILE *f = fopen("/proc/self/status", "r");
	if (!f) {
		perror("probe-status: /proc/self/status");
		return 1;
	}
	static const char *const keys[] = { "CapInh:", "CapPrm:",     "CapEff:",  "CapBnd:",
					    "CapAmb:", "NoNewPrivs:", "Seccomp:", "Groups:" };
	char line[512];
	while (fgets(line, sizeof(line), f)) {
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (strncmp(line, keys[i], strlen(keys[i])) == 0)
				fputs(line, stdout);
	}
	fclose(f);
	return 0;
}
