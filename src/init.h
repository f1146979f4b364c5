/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * init.h - supervising a child: forward signals, reap, report its status.
 *
 * Three processes of a sandbox use it: the outer `sandbox` (forwarding to
 * the process in the user namespace), that process (forwarding to PID 1),
 * and PID 1 inside (forwarding to the command, reaping every orphan). None of
 * them gives up once the command runs.
 */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

/** init_signal_set() - the signals we forward plus SIGCHLD, for blocking before fork. */
void init_signal_set(sigset_t *ret);

/**
 * init_supervise() - with init_signal_set() blocked, forward each forwarded
 * signal to @target and wait until @child exits; with @reap_all, also reap
 * every other child (PID 1). Returns the exit code to pass on: the child's
 * status, or 128+N when it was killed by signal N.
 */
int init_supervise(pid_t child, pid_t target, bool reap_all);

/** init_exit_code() - a wait status as an exit code (status, or 128+signal). */
int init_exit_code(int status);
