/* format.c - numbers written for people, by their unit. */
#include "sim/format.h"

#include <math.h>
#include <stdio.h>

#include "sim/units.h"

double sim_value(const struct sim_json *j, double *ci)
{
	if (ci)
		*ci = NAN;
	if (!j)
		return NAN;
	if (j->type == SIM_JSON_NUM)
		return j->num;
	if (j->type == SIM_JSON_BOOL)
		return j->b;
	const struct sim_json *m = sim_json_get(j, "mean", NULL);
	if (m && m->type == SIM_JSON_NUM) {
		if (ci)
			*ci = sim_json_getnum(j, "ci95", NULL);
		return m->num;
	}
	return NAN;
}

void sim_format(char *buf, size_t size, enum sim_unit unit, double v, double ci)
{
	char a[64], b[64];
	if (isnan(v)) {
		snprintf(buf, size, "n/a");
		return;
	}
	switch (unit) {
	case SIM_UNIT_PER_S:
		snprintf(a, sizeof a, "%.4g/s", v);
		snprintf(b, sizeof b, "%.2g/s", ci);
		break;
	case SIM_UNIT_SECONDS:
		sim_format_duration(a, sizeof a, v);
		sim_format_duration(b, sizeof b, ci);
		break;
	case SIM_UNIT_SHARE:
		snprintf(a, sizeof a, "%.4g%%", 100 * v);
		snprintf(b, sizeof b, "%.2g%%", 100 * ci);
		break;
	case SIM_UNIT_NUMBER:
	default:
		if ((v == floor(v) || fabs(v) >= 1000) && fabs(v) < 1e15) {
			snprintf(a, sizeof a, "%.0f", v);
			snprintf(b, sizeof b, "%.3g", ci);
		} else {
			snprintf(a, sizeof a, "%.4g", v);
			snprintf(b, sizeof b, "%.2g", ci);
		}
		break;
	}
	if (isnan(ci))
		snprintf(buf, size, "%s", a);
	else
		snprintf(buf, size, "%s ± %s", a, b);
}

void sim_format_json(char *buf, size_t size, enum sim_unit unit, const struct sim_json *j)
{
	double ci, v = sim_value(j, &ci);
	sim_format(buf, size, unit, v, ci);
}
