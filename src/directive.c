/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "directive.h"

const struct directive *directive_table(void)
{
	static const struct directive none[] = { { 0 } };
	return none;
}

const struct directive *directive_find(const char *name)
{
	return NULL;
}

int directive_apply(struct sandbox_config *c, const struct directive_args *a)
{
	return log_at(&a->loc, "unknown directive '%s'", a->name);
}

void directive_print_config(const struct sandbox_config *c, FILE *f)
{
}
