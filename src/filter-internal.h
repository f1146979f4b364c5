/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * filter-internal.h - what the two halves of the filter module share: the
 * group and 32-bit-argument tables (data from the .def files) and the
 * action ranking. Not for other modules: they use filter.h.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "model.h"

struct filter_group {
	const char *name;	 /* "@basic-io" */
	const char *description; /* one line */
	const char *members;	 /* space-separated syscall names and @groups */
};

/** filter_groups() - the group table (filter-groups.def); sets *@ret_n to its length. */
const struct filter_group *filter_groups(size_t *ret_n);

/** filter_group_find() - the group called @name (with its '@'), or NULL. */
const struct filter_group *filter_group_find(const char *name);

/**
 * filter_arg_is_32bit() - true when the kernel reads argument @arg of
 * @syscall as a 32-bit integer (filter-args32.def), so rules compare its
 * low 32 bits only.
 */
bool filter_arg_is_32bit(const char *syscall, unsigned arg);

/**
 * filter_action_rank() - the kernel's precedence of an action when several
 * filters answer: higher is stricter (kill > trap > errno > log > allow).
 */
int filter_action_rank(const struct filter_action *a);

/** filter_action_equal() - same kind and, for errno, same value. */
bool filter_action_equal(const struct filter_action *a, const struct filter_action *b);

/** filter_cond_equal() - the same argument, operator, value and mask. */
bool filter_cond_equal(const struct filter_cond *a, const struct filter_cond *b);

/** filter_print_action() - print @a the way the directive reads it (" errno EPERM", " kill"...). */
void filter_print_action(const struct filter_action *a, FILE *f);
