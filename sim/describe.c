/* describe.c - look-ups in a model's description, and the shared charts. */
#include "sim/describe.h"

#include <stdio.h>
#include <string.h>

#include "sim/model.h"

static const struct sim_group_desc groups[SIM_NGROUPS] = {
	[SIM_GROUP_FLOW] = { "throughput", "Offered load, throughput and goodput",
			     "items per second", 1 },
	[SIM_GROUP_DROPS] = { "drops", "Work dropped, by where it was dropped",
			      "items dropped per second", 1 },
	[SIM_GROUP_BUSY] = { "workers", "Worker pools: utilisation",
			     "busy workers (% of the pool)", 100 },
	[SIM_GROUP_CHAIN] = { "chain", "Call chain: busy workers working and waiting on calls, and timeouts",
			      "busy workers", 1 },
};

const struct sim_group_desc *sim_group(int group)
{
	return group > SIM_GROUP_NONE && group < SIM_NGROUPS ? &groups[group] : NULL;
}

const struct sim_metric_desc *sim_describe_metric(const struct sim_model_ops *ops,
						  const char *name)
{
	for (const struct sim_metric_desc *m = ops->metrics; m && m->name; m++)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

const struct sim_column_desc *sim_describe_column(const struct sim_model_ops *ops,
						  const char *metric)
{
	for (const struct sim_column_desc *c = ops->columns; c && c->metric; c++) {
		const char *m = metric;
		if (c->each) {
			/* "<each><digits>.<metric>" */
			size_t n = strlen(c->each);
			if (strncmp(m, c->each, n) || m[n] < '0' || m[n] > '9')
				continue;
			m += n;
			while (*m >= '0' && *m <= '9')
				m++;
			if (*m++ != '.')
				continue;
		}
		if (!strcmp(c->metric, m))
			return c;
	}
	return NULL;
}

const char *sim_describe_part(char *buf, size_t size, const struct sim_column_desc *d, size_t i)
{
	if (!d->each)
		return d->metric;
	snprintf(buf, size, "%s%zu.%s", d->each, i, d->metric);
	return buf;
}
