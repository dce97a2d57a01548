/* reference.c - the metric tables of the reference, from the models'
 * descriptions.  What is written depends on the descriptions alone, so
 * the document and the models agree exactly when the document's regions
 * equal this output (tests/sim/test_reference.c). */
#include "sim/reference.h"

#include <stdlib.h>
#include <string.h>

#include "sim/model.h"

#define BEGIN "<!-- generated: metrics of "
#define BEGIN_END " -->"
#define END "<!-- end generated -->"

/* The unit column: a count names what it counts. */
static const char *unit_text(char *buf, size_t size, enum sim_unit unit, const char *what)
{
	switch (unit) {
	case SIM_UNIT_SECONDS:
		return "s";
	case SIM_UNIT_SHARE:
		return "share";
	case SIM_UNIT_PER_S:
		snprintf(buf, size, "%s/s", what ? what : "1");
		return buf;
	case SIM_UNIT_NUMBER:
	default:
		return what ? what : "number";
	}
}

/* A table cell: a '|' would end it. */
static void cell(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			fputc('\\', f);
		fputc(*s, f);
	}
}

static void row(FILE *f, const char *name, const char *unit, const char *lead, const char *cond,
		const char *doc)
{
	char buf[160];
	fprintf(f, "| `%s` | ", name);
	cell(f, unit);
	fputs(" | ", f);
	snprintf(buf, sizeof buf, "%s%s%s", lead ? lead : "", lead && cond ? ", " : "",
		 cond ? cond : "");
	cell(f, buf);
	fputs(*buf ? ": " : "", f);
	cell(f, doc);
	fputs(" |\n", f);
}

static void metrics(FILE *f, const struct sim_model_ops *ops)
{
	fputs("Summary metrics (`summary.json`, under `components.NAME`):\n\n"
	      "| metric | unit | meaning |\n|---|---|---|\n", f);
	for (const struct sim_metric_desc *m = ops->metrics; m && m->name; m++) {
		char buf[64], doc[512];
		const char *unit = unit_text(buf, sizeof buf, m->unit, m->what);
		/* a distribution is an object of these fields */
		snprintf(doc, sizeof doc, "%s%s",
			 m->type == SIM_METRIC_HIST ? "`{mean, p50, p95, p99, max}` " : "",
			 m->doc ? m->doc : "");
		row(f, m->name, unit, NULL, m->cond, doc);
	}
}

static void columns(FILE *f, const struct sim_model_ops *ops)
{
	fputs("\nTime-series columns (`timeseries.csv`, `NAME.COLUMN`):\n\n"
	      "| column | unit | meaning |\n|---|---|---|\n", f);
	for (const struct sim_column_desc *c = ops->columns; c && c->metric; c++) {
		char buf[64];
		const char *unit = unit_text(buf, sizeof buf, c->unit, c->what);
		const char *lead = c->counter ? "count per interval" : c->sampled ? c->sampled : "level";
		char name[128];
		if (c->each)	/* one per part: p<i>.depth */
			snprintf(name, sizeof name, "%s<i>.%s", c->each, c->metric);
		row(f, c->each ? name : c->metric, unit, lead, c->cond, c->doc);
	}
}

static void reasons(FILE *f, const struct sim_model_ops *ops)
{
	fputs("\nDrop reasons (the keys of `dropped` where it counts by reason):\n\n"
	      "| reason | meaning |\n|---|---|\n", f);
	for (const struct sim_reason_desc *r = ops->reasons; r->name; r++) {
		fprintf(f, "| `%s` | ", r->name);
		cell(f, r->doc);
		fputs(" |\n", f);
	}
}

void sim_reference_kind(FILE *f, const struct sim_model_ops *ops)
{
	metrics(f, ops);
	if (ops->columns && ops->columns->metric)
		columns(f, ops);
	if (ops->reasons && ops->reasons->name)
		reasons(f, ops);
}

struct region {
	size_t from, to;	/* the text replaced: after the first line, up to END */
	const struct sim_model_ops *ops;
};

static int cmp_region(const void *a, const void *b)
{
	const struct region *x = a, *y = b;
	return (x->from > y->from) - (x->from < y->from);
}

/* Finds the kind's region in text; 0, or -1 with err set. */
static int find_region(const char *text, const struct sim_model_ops *ops, struct region *r,
		       char *err, size_t errsize)
{
	char begin[128];
	snprintf(begin, sizeof begin, BEGIN "%s" BEGIN_END "\n", ops->name);
	const char *p = strstr(text, begin);
	if (!p) {
		snprintf(err, errsize, "no line '%.*s' for kind %s", (int)strlen(begin) - 1, begin,
			 ops->name);
		return -1;
	}
	if (strstr(p + 1, begin)) {
		snprintf(err, errsize, "two regions for kind %s", ops->name);
		return -1;
	}
	p += strlen(begin);
	const char *end = strstr(p, END);
	const char *next = strstr(p, BEGIN);
	if (!end || (next && next < end)) {
		snprintf(err, errsize, "the region of kind %s has no '%s'", ops->name, END);
		return -1;
	}
	r->from = (size_t)(p - text);
	r->to = (size_t)(end - text);
	r->ops = ops;
	return 0;
}

static size_t count(const char *text, const char *s)
{
	size_t n = 0;
	for (const char *p = text; (p = strstr(p, s)); p += strlen(s))
		n++;
	return n;
}

char *sim_reference_update(const char *text, sim_reference_kinds_fn *kinds, char *err,
			   size_t errsize)
{
	size_t n = 0;
	while (kinds(n))
		n++;
	struct region *r = calloc(n ? n : 1, sizeof *r);
	if (!r) {
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	char *out = NULL;
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		if (find_region(text, kinds(i), &r[i], err, errsize) < 0)
			goto fail;
	if (count(text, BEGIN) != n) {
		snprintf(err, errsize, "%zu regions for %zu kinds: one names no kind",
			 count(text, BEGIN), n);
		goto fail;
	}
	qsort(r, n, sizeof *r, cmp_region);
	FILE *f = open_memstream(&out, &len);
	if (!f) {
		snprintf(err, errsize, "out of memory");
		goto fail;
	}
	size_t at = 0;
	for (size_t i = 0; i < n; i++) {
		fwrite(text + at, 1, r[i].from - at, f);
		fputc('\n', f);
		sim_reference_kind(f, r[i].ops);
		fputc('\n', f);
		at = r[i].to;
	}
	fputs(text + at, f);
	if (fclose(f) != 0 || !out) {
		snprintf(err, errsize, "out of memory");
		free(out);
		out = NULL;
	}
	free(r);
	return out;
fail:
	free(r);
	return NULL;
}
