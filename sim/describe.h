/* describe.h - how a model says what it measures and how it is shown.
 *
 * A model's struct sim_model_ops points to the tables below.  Everything
 * outside models/ that prints, reports, compares or charts a component
 * works from these tables alone: it never compares a kind's or a metric's
 * name, and never guesses a unit from how a key is spelt.  So a new kind
 * is shown by declaring its metrics here, not by editing the outputs.
 *
 * The tables are static and read-only; each ends with an entry whose
 * name (or metric) is NULL.
 */
#ifndef SIM_DESCRIBE_H
#define SIM_DESCRIBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sim/json.h"

/* How a value is written for people. */
enum sim_unit {
	SIM_UNIT_NUMBER,	/* a count or a plain number: 1234, 2.5 */
	SIM_UNIT_SECONDS,	/* a duration: 1.2 ms, 3.4 min */
	SIM_UNIT_PER_S,		/* a rate: 2726/s */
	SIM_UNIT_SHARE,		/* a fraction written as a percentage: 12.5% */
};

/* Which way a figure is better, for ranking variants. */
enum sim_better {
	SIM_BETTER_NONE,
	SIM_BETTER_LOWER,
	SIM_BETTER_HIGHER,
};

/* What a summary metric is. */
enum sim_metric_type {
	SIM_METRIC_COUNTER,	/* events counted after the warm-up */
	SIM_METRIC_LEVEL,	/* a peak or end value of something held */
	SIM_METRIC_TIME_AVG,	/* a time average (utilisation, mean depth) */
	SIM_METRIC_RATIO,	/* derived from other metrics */
	SIM_METRIC_HIST,	/* a distribution: an object with p50, p99, ... */
	SIM_METRIC_REASONS,	/* counts by drop reason: an object */
	SIM_METRIC_LIST,	/* anything else structured */
};

/* How a metric enters a comparison (compare.csv, sweep.csv, their
 * tables and charts): one figure over every component that declares it,
 * or one per component. */
enum sim_combine {
	SIM_COMBINE_NONE,
	SIM_COMBINE_MAX,	/* the largest over the components */
	SIM_COMBINE_SUM,	/* the sum (CI half-widths added in quadrature) */
	SIM_COMBINE_RATE,	/* the sum per second of measured time */
	SIM_COMBINE_EACH,	/* a figure per component: "NAME:COMPONENT" */
};

/* A metric of summary.json's "components.NAME" object. */
struct sim_metric_desc {
	const char *name;	/* its key */
	enum sim_metric_type type;
	enum sim_unit unit;
	enum sim_better better;
	const char *label;	/* for people: "peak depth"; for a
				 * distribution the noun: "latency" */
	const char *doc;	/* one line for the reference */
	/* for the reference only (docs/scenario.md): what a count or a
	 * rate counts ("requests", "calls"; NULL: a plain number), and when
	 * the metric is written ("with `breaker`"; NULL: always) */
	const char *what;
	const char *cond;
	/* the terminal line: 0 not shown, else its position (1, 2, ...);
	 * with headline_if_used, only when not 0 */
	unsigned char headline;
	bool headline_if_used;
	/* report.md's table of the kind: 0 not shown, else its position;
	 * a distribution shows the percentiles flagged in report_pct */
	unsigned char report;
	unsigned char report_pct;	/* SIM_PCT_* */
	/* a comparison figure */
	enum sim_combine combine;
	const char *figure;	/* its CSV name ("peak_depth"); EACH: a prefix */
	const char *figure_label;	/* EACH: a format for the component name */
	bool figure_optional;	/* left out when 0 in every row */
};

enum { SIM_PCT_P50 = 1, SIM_PCT_P99 = 2 };

/* A time-series column "COMPONENT.METRIC". */
struct sim_column_desc {
	const char *metric;
	enum sim_unit unit;
	bool counter;		/* a count per interval (charted per second) */
	const char *doc;	/* one line for the reference */
	/* for the reference only, as in struct sim_metric_desc; and how a
	 * column that is not a counter is sampled when it is not its level
	 * at the end of the interval ("time average over the interval") */
	const char *what;
	const char *cond;
	const char *sampled;
	/* whether the component has this column, from its configuration
	 * (NULL: always) */
	bool (*when)(const void *conf);
	/* a line on one of the charts shared by all components, or
	 * SIM_GROUP_NONE; the line is titled group_title (a format for the
	 * component's name) and, with group_if_used, drawn only where the
	 * column is not 0 throughout */
	int group;
	const char *group_title;
	bool group_if_used;
	/* on the chain chart (SIM_GROUP_CHAIN): the line is this column
	 * less the component's column group_minus ("busy" less "calling":
	 * working), drawn only where that column exists; NULL: the column */
	const char *group_minus;
	/* a column per part of the component (a topic's partitions), named
	 * "<each><i>.<metric>" for i < each_count(conf); NULL: one column */
	const char *each;
	size_t (*each_count)(const void *conf);
};

/* The charts every run can have, across components. */
enum {
	SIM_GROUP_NONE,
	SIM_GROUP_FLOW,		/* offered load, throughput and goodput */
	SIM_GROUP_DROPS,	/* work dropped, by where it was dropped */
	SIM_GROUP_BUSY,		/* utilisation of worker pools */
	SIM_GROUP_CHAIN,	/* pools that call: working and waiting on calls,
				 * with counters (timeouts) per second on the
				 * right; drawn only with a group_minus line */
	SIM_NGROUPS
};

/* One line of a component's own chart. */
struct sim_line_desc {
	const char *metric;	/* its column */
	const char *title;
	int axis;		/* 1 left, 2 right */
	double scale;		/* 0 means 1 */
};

#define SIM_CHART_LINES 6

/* A chart drawn for each component of the kind. */
struct sim_chart_desc {
	const char *name;	/* file name, a format for the component's name */
	const char *title;	/* a format for the component's name */
	const char *ylabel, *y2label;	/* y2label NULL: one axis */
	const char *if_used;	/* drawn only where this column moved; NULL always */
	/* a repeated column (struct sim_column_desc's each) drawn as a heat
	 * map, time x part, instead of lines; y2label names its colour scale */
	const char *heat;
	struct sim_line_desc lines[SIM_CHART_LINES];	/* metric NULL ends */
};

/* How report.md shows the kind: a table with a row per component. */
struct sim_report_desc {
	const char *heading;	/* "Queues" */
	/* an optional paragraph about one component, written after the
	 * table (or nothing); o is its summary object */
	void (*note)(FILE *f, const char *name, const struct sim_json *o);
};

/* A reason a model drops an item; the model passes its index to
 * sim_drop().  The names are part of the output contract. */
struct sim_reason_desc {
	const char *name;	/* summary.json key: "full" */
	const char *doc;	/* what it means */
};

/* The chart shared by the components that put lines on it. */
struct sim_group_desc {
	const char *name, *title, *ylabel;
	double scale;		/* each line's; a counter is also per second */
};
const struct sim_group_desc *sim_group(int group);

/* A span in which something a component's configuration sets holds (a
 * dependency's schedule entry), marked on the time charts: from, to in
 * seconds (to may be INFINITY), and what holds ("slowdown ×5"); the
 * charts put the component's name before it. */
struct sim_span {
	double from, to;
	char label[64];
};
/* Fills out[0..max) with conf's spans; how many. */
typedef size_t sim_spans_fn(const void *conf, struct sim_span *out, size_t max);

/* Look-ups in a table; NULL when absent. */
struct sim_model_ops;
const struct sim_metric_desc *sim_describe_metric(const struct sim_model_ops *ops,
						  const char *name);
const struct sim_column_desc *sim_describe_column(const struct sim_model_ops *ops,
						  const char *metric);
/* The name of part i's column d ("p3.lag"), or d's metric if d is not
 * repeated; into buf. */
const char *sim_describe_part(char *buf, size_t size, const struct sim_column_desc *d, size_t i);

#endif
