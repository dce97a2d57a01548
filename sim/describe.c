/* describe.c - look-ups in a model's description, and the shared charts. */
#include "sim/describe.h"

#include <string.h>

#include "sim/model.h"

static const struct sim_group_desc groups[SIM_NGROUPS] = {
	[SIM_GROUP_FLOW] = { "throughput", "Offered load, throughput and goodput",
			     "items per second", 1 },
	[SIM_GROUP_DROPS] = { "drops", "Work dropped, by where it was dropped",
			      "items dropped per second", 1 },
	[SIM_GROUP_BUSY] = { "workers", "Worker pools: utilisation",
			     "busy workers (% of the pool)", 100 },
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
	for (const struct sim_column_desc *c = ops->columns; c && c->metric; c++)
		if (!strcmp(c->metric, metric))
			return c;
	return NULL;
}
