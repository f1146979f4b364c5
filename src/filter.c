/* SPDX-License-Identifier: GPL-2.0-or-later */
/* filter.c - STUB, to be replaced by the seccomp filter compiler. */
#include "config.h"

#include "filter.h"

int filter_directive(struct sandbox_config *c, const struct directive_args *a)
{
	return log_at(&a->loc, "seccomp rules are not implemented yet");
}

int filter_compile(const struct sandbox_config *c, struct filter_program *ret)
{
	*ret = (struct filter_program){ 0 };
	return 0;
}

void filter_program_free(struct filter_program *p)
{
	free(p->insns);
	*p = (struct filter_program){ 0 };
}

int filter_load(const struct filter_program *p)
{
	return 0;
}

int filter_dump(const struct sandbox_config *c, FILE *f)
{
	return 0;
}

void filter_print_rules(const struct sandbox_config *c, FILE *f)
{
}

void filter_print_groups(FILE *f)
{
}
