/* registry.c - every component kind, in the order help texts list them.
 * Adding a kind means one line here and one models/ file; the engine and
 * the loader know kinds only through this table. */
#include "sim/registry.h"

#include <string.h>

#include "models/client.h"
#include "models/database.h"
#include "models/limiter.h"
#include "models/producer.h"
#include "models/queue.h"
#include "models/router.h"
#include "models/split.h"
#include "models/topic.h"
#include "models/workers.h"
#include "sim/model.h"

static const struct sim_model_ops *const kinds[] = {
	&mdl_producer_ops,
	&mdl_client_ops,
	&mdl_queue_ops,
	&mdl_workers_ops,
	&mdl_database_ops,
	&mdl_split_ops,
	&mdl_limiter_ops,
	&mdl_router_ops,
	&mdl_topic_ops,
};

#define NKINDS (sizeof kinds / sizeof kinds[0])

static const char *const names[NKINDS + 1] = {
	"producer", "client", "queue", "workers", "database", "split", "limiter",
	"router", "topic", NULL,
};

const struct sim_model_ops *sim_registry_find(const char *kind)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (!strcmp(kinds[i]->name, kind))
			return kinds[i];
	return NULL;
}

const struct sim_model_ops *sim_registry_kind(size_t i)
{
	return i < NKINDS ? kinds[i] : NULL;
}

const char *const *sim_registry_names(void)
{
	return names;
}
