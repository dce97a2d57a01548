/* wire.c - a replication's result as bytes, and back; see wire.h. */
#include "sim/wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/json.h"
#include "sim/series.h"

/* Summary trees are a few levels deep; a deeper one is not ours. */
#define WIRE_MAX_DEPTH 64

enum { WIRE_RESULT = 0x52455331u };	/* "RES1" */

void sim_wire_fini(struct sim_wire *w)
{
	free(w->buf);
	*w = (struct sim_wire){ 0 };
}

void sim_wire_put(struct sim_wire *w, const void *p, size_t n)
{
	if (w->oom || n == 0)
		return;
	if (w->cap - w->len < n) {
		size_t cap = w->cap ? w->cap : 4096;
		while (cap - w->len < n)
			cap *= 2;
		unsigned char *b = realloc(w->buf, cap);
		if (!b) {
			w->oom = true;
			return;
		}
		w->buf = b;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

void sim_wire_put_u64(struct sim_wire *w, uint64_t v)
{
	sim_wire_put(w, &v, sizeof v);
}

void sim_wire_put_f64(struct sim_wire *w, double v)
{
	sim_wire_put(w, &v, sizeof v);
}

void sim_wire_put_str(struct sim_wire *w, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	sim_wire_put_u64(w, s ? n + 1 : 0);
	sim_wire_put(w, s, n);
}

static void put_json(struct sim_wire *w, const struct sim_json *j)
{
	sim_wire_put_u64(w, (uint64_t)j->type);
	sim_wire_put_str(w, j->key);
	sim_wire_put_f64(w, j->type == SIM_JSON_NUM ? j->num : 0);
	sim_wire_put_u64(w, j->b);
	sim_wire_put_str(w, j->str);
	uint64_t n = 0;
	for (const struct sim_json *c = j->first; c; c = c->next)
		n++;
	sim_wire_put_u64(w, n);
	for (const struct sim_json *c = j->first; c; c = c->next)
		put_json(w, c);
}

int sim_wire_put_result(struct sim_wire *w, const struct sim_result *r)
{
	sim_wire_put_u64(w, WIRE_RESULT);
	sim_wire_put_u64(w, r->body != NULL);
	if (r->body)
		put_json(w, r->body);
	const struct sim_series *s = &r->series;
	sim_wire_put_u64(w, s->ncols);
	for (size_t i = 0; i < s->ncols; i++)
		sim_wire_put_str(w, s->names[i]);
	sim_wire_put_u64(w, s->nrows);
	sim_wire_put(w, s->t, s->nrows * sizeof *s->t);
	sim_wire_put(w, s->v, s->nrows * s->ncols * sizeof *s->v);
	sim_wire_put_u64(w, r->events);
	sim_wire_put_f64(w, r->end_s);
	sim_wire_put_f64(w, r->wall_s);
	sim_wire_put_u64(w, r->complete);
	sim_wire_put_u64(w, r->conserved);
	sim_wire_put_str(w, r->why);
	return w->oom ? -1 : 0;
}


bool sim_wire_get(struct sim_wire_in *in, void *out, size_t n)
{
	if (in->bad || in->len - in->at < n) {
		in->bad = true;
		return false;
	}
	memcpy(out, in->p + in->at, n);
	in->at += n;
	return true;
}

uint64_t sim_wire_get_u64(struct sim_wire_in *in)
{
	uint64_t v = 0;
	sim_wire_get(in, &v, sizeof v);
	return v;
}

double sim_wire_get_f64(struct sim_wire_in *in)
{
	double v = 0;
	sim_wire_get(in, &v, sizeof v);
	return v;
}

char *sim_wire_get_str(struct sim_wire_in *in, bool *ok)
{
	uint64_t n = sim_wire_get_u64(in);
	if (n == 0 || in->bad)
		return NULL;
	if (n - 1 > in->len - in->at) {
		in->bad = true;
		*ok = false;
		return NULL;
	}
	char *s = malloc(n);
	if (!s) {
		in->bad = true;
		*ok = false;
		return NULL;
	}
	sim_wire_get(in, s, n - 1);
	s[n - 1] = '\0';
	return s;
}

/* One node under parent (the tree's root when parent is NULL: *root). */
static bool get_json(struct sim_wire_in *in, struct sim_json *parent, struct sim_json **root,
		     unsigned depth)
{
	uint64_t type = sim_wire_get_u64(in);
	bool ok = !in->bad && depth < WIRE_MAX_DEPTH && type <= SIM_JSON_ARR;
	char *key = sim_wire_get_str(in, &ok);
	double num = sim_wire_get_f64(in);
	bool b = sim_wire_get_u64(in) != 0;
	char *str = sim_wire_get_str(in, &ok);
	uint64_t n = sim_wire_get_u64(in);
	struct sim_json *j = NULL;
	if (ok && !in->bad) {
		if (!parent) {
			j = *root = type == SIM_JSON_OBJ ? sim_json_new_obj() : NULL;
		} else if (type == SIM_JSON_OBJ) {
			j = sim_json_obj(parent, key);
		} else if (type == SIM_JSON_ARR) {
			j = sim_json_arr(parent, key);
		} else if (type == SIM_JSON_NUM) {
			j = sim_json_num(parent, key, num);
		} else if (type == SIM_JSON_BOOL) {
			j = sim_json_bool(parent, key, b);
		} else if (type == SIM_JSON_STR) {
			j = str ? sim_json_str(parent, key, str) : NULL;
		} else {
			j = sim_json_null(parent, key);
		}
	}
	free(key);
	free(str);
	ok = ok && j && !in->bad;
	for (uint64_t i = 0; ok && i < n; i++)
		ok = get_json(in, j, root, depth + 1);
	if (!ok)
		in->bad = true;
	return ok;
}

static int get_series(struct sim_wire_in *in, struct sim_series *s)
{
	uint64_t ncols = sim_wire_get_u64(in);
	if (in->bad || ncols > in->len - in->at)
		return -1;
	for (uint64_t i = 0; i < ncols; i++) {
		bool ok = true;
		char *name = sim_wire_get_str(in, &ok);
		int rc = name ? sim_series_add_col(s, name) : -1;
		free(name);
		if (rc < 0)
			return -1;
	}
	uint64_t nrows = sim_wire_get_u64(in);
	size_t row_bytes = (ncols + 1) * sizeof(double);
	if (in->bad || nrows > (in->len - in->at) / row_bytes)
		return -1;
	if (nrows == 0)
		return 0;
	s->t = malloc(nrows * sizeof *s->t);
	s->v = malloc(nrows * ncols * sizeof *s->v + 1);
	if (!s->t || !s->v)
		return -1;
	s->nrows = s->cap_rows = nrows;
	sim_wire_get(in, s->t, nrows * sizeof *s->t);
	sim_wire_get(in, s->v, nrows * ncols * sizeof *s->v);
	return in->bad ? -1 : 0;
}

int sim_wire_get_result(const void *buf, size_t len, struct sim_result *r)
{
	*r = (struct sim_result){ 0 };
	struct sim_wire_in in = { .p = buf, .len = len };
	if (sim_wire_get_u64(&in) != WIRE_RESULT)
		return -1;
	if (sim_wire_get_u64(&in) && !get_json(&in, NULL, &r->body, 0))
		return -1;
	if (get_series(&in, &r->series) < 0)
		return -1;
	r->events = sim_wire_get_u64(&in);
	r->end_s = sim_wire_get_f64(&in);
	r->wall_s = sim_wire_get_f64(&in);
	r->complete = sim_wire_get_u64(&in) != 0;
	r->conserved = sim_wire_get_u64(&in) != 0;
	bool ok = true;
	char *why = sim_wire_get_str(&in, &ok);
	if (why)
		snprintf(r->why, sizeof r->why, "%s", why);
	free(why);
	return in.bad || !ok || in.at != in.len ? -1 : 0;
}
