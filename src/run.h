/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * run.h - running a command in a sandbox: the process model of DESIGN.md §2.
 */
#pragma once

#include "filter.h"
#include "model.h"

struct registry_run;

/* struct run_request - everything the run needs, prepared before any namespace exists. */
struct run_request {
	const struct sandbox_config *config;
	const struct filter_program *filter; /* compiled already; len 0: none */
	char *const *protect;		     /* host dirs to keep read-only inside */
	struct registry_run *registry;	     /* the entry and reports (registry.h); NULL: none */
};

/**
 * run_sandbox() - create the namespaces, build the root, run the command and
 * wait for it. Returns the exit code for main(): the command's status, 128+N
 * when it was killed by signal N, 125 when the sandbox could not be set up
 * (logged with the step that failed and why), 126 when the command could not
 * be executed, 127 when it was not found.
 */
int run_sandbox(const struct run_request *req);

/**
 * run_environment() - apply @c's environment rules (clearenv, keep-env,
 * setenv, unsetenv) to this process's environment, as the payload does
 * before exec; `sandbox enter` does the same. 0 or -errno (logged).
 */
int run_environment(const struct sandbox_config *c);
