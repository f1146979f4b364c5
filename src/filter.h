/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * filter.h - the seccomp filter compiler: `syscall` directives to rules
 * (pure), rules and named groups to a BPF program with libseccomp (before any
 * namespace exists), and loading that program as the very last step before
 * execve.
 */
#pragma once

#include <linux/filter.h>
#include <stdio.h>

#include "directive.h"
#include "model.h"

#define FILTER_MAX_PARTS 8

/*
 * struct filter_program - compiled classic-BPF programs, ready for
 * seccomp(SECCOMP_SET_MODE_FILTER). Usually one; rules that make a call
 * stricter under a condition (deny ioctl if arg1 == TIOCSTI on top of an
 * allowed ioctl) go into extra programs of their own, because one libseccomp
 * filter cannot hold an unconditional and a conditional action for the same
 * syscall; the kernel then applies the strictest answer of all programs.
 * The programs lie back to back in @insns, in load order.
 */
struct filter_program {
	struct sock_filter *insns;
	size_t len; /* total instructions; 0: no filter */
	size_t n_parts;
	size_t part_len[FILTER_MAX_PARTS];
};

/**
 * filter_directive() - apply a `syscall ...` directive (@a holds the words
 * after "syscall"): allow|deny NAME|@GROUP... [errno E|kill|log|trap]
 * [if argN OP VALUE [and ...]], or `default ACTION`, or `arch native|all`.
 * Validates names, groups and constants; logs file:line:column on error.
 */
int filter_directive(struct sandbox_config *c, const struct directive_args *a);

/** filter_compile() - compile the rules of @c into *@ret. 0 or -errno (logged). */
int filter_compile(const struct sandbox_config *c, struct filter_program *ret);
/** filter_program_free() - free what filter_compile() allocated. */
void filter_program_free(struct filter_program *p);
/**
 * filter_load() - install @p with seccomp(SECCOMP_SET_MODE_FILTER) (prctl
 * when seccomp(2) is missing), part by part in order. Needs no_new_privs set.
 * Makes no libseccomp call and no allocation: safe in a forked child. 0 or
 * -errno (logged).
 */
int filter_load(const struct filter_program *p);
/** filter_dump() - print the compiled filter of @c as libseccomp PFC (--dump-seccomp). */
int filter_dump(const struct sandbox_config *c, FILE *f);
/** filter_print_rules() - print the seccomp part of @c as profile lines (--print-profile). */
void filter_print_rules(const struct sandbox_config *c, FILE *f);
/** filter_print_groups() - print every group with its members, one per line. */
void filter_print_groups(FILE *f);
