/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net.c - STUB, to be replaced by the network modes. */
#include "config.h"

#include "net.h"

int net_loopback_up(void)
{
	return 0;
}

void net_prepare_config(struct sandbox_config *c)
{
}

int net_user_start(const struct sandbox_config *c, pid_t target, struct net_helper *ret)
{
	log_error("net user is not implemented yet");
	return -ENOSYS;
}

void net_user_stop(struct net_helper *h)
{
}
