/* columns.c - the columns of a scenario's timeseries.csv, known before it runs. */
#include "sim/columns.h"

#include <stdio.h>

#include "sim/model.h"

const char *const sim_class_columns[] = { "completed", "dropped", "sojourn_p99_s", NULL };

void sim_columns_drop_metric(char *buf, size_t size, const char *reason)
{
	snprintf(buf, size, "dropped:%s", reason);
}

int sim_columns(const struct sim_scenario *sc, struct sim_series *s)
{
	char name[256];
	for (size_t i = 0; i < sc->ncomps; i++) {
		const struct sim_component *c = &sc->comps[i];
		for (const struct sim_column_desc *d = c->ops->columns; d && d->metric; d++) {
			if (d->when && !d->when(c->conf))
				continue;
			size_t parts = d->each ? d->each_count(c->conf) : 1;
			for (size_t k = 0; k < parts; k++) {
				char part[128];
				snprintf(name, sizeof name, "%s.%s", c->name,
					 sim_describe_part(part, sizeof part, d, k));
				if (sim_series_add_col(s, name) < 0)
					return -1;
			}
		}
	}
	for (size_t k = 0; k < sc->nclasses; k++)
		for (const char *const *m = sim_class_columns; *m; m++) {
			snprintf(name, sizeof name, "class:%s.%s", sc->classes[k].name, *m);
			if (sim_series_add_col(s, name) < 0)
				return -1;
		}
	for (size_t i = 0; i < sc->ncomps; i++) {
		const struct sim_component *c = &sc->comps[i];
		for (const struct sim_reason_desc *r = c->ops->reasons; r && r->name; r++) {
			char metric[128];
			sim_columns_drop_metric(metric, sizeof metric, r->name);
			snprintf(name, sizeof name, "%s.%s", c->name, metric);
			if (sim_series_add_col(s, name) < 0)
				return -1;
		}
	}
	return 0;
}
