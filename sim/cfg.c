/* cfg.c - typed, positioned access to a component's keys. */
#include "sim/cfg.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/units.h"

void sim_cfg_error(struct sim_cfg *c, const struct sim_node *at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!at)
		at = c->at;
	sim_diag_error(c->diag, at->file, at->line, at->col, "%s", msg);
}

const struct sim_node *sim_cfg_value(struct sim_cfg *c, const struct sim_node *map,
				     const char *key, unsigned flags)
{
	const struct sim_node *v = sim_node_get(map, key);
	if (!v && (flags & SIM_CFG_REQUIRED))	/* at the map that lacks it */
		sim_cfg_error(c, map && map != c->map && map->type == SIM_NODE_MAP ? map : c->at,
			      "missing '%s' in %s '%s'", key, c->kind, c->name);
	return v;
}

/* Optimal string alignment distance, capped for long words. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 40 || lb > 40)
		return 99;
	size_t d[41][41];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

const char *sim_suggest(const char *word, const char *const *cands)
{
	const char *best = NULL;
	size_t best_d = 99, len = strlen(word);
	size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
	for (; *cands; cands++) {
		size_t d = distance(word, *cands);
		if (d < best_d) {
			best_d = d;
			best = *cands;
		}
	}
	return best_d <= limit ? best : NULL;
}

void sim_join(char *buf, size_t size, const char *const *cands)
{
	size_t used = 0;
	buf[0] = 0;
	for (const char *const *p = cands; *p && used + 1 < size; p++) {
		int n = snprintf(buf + used, size - used, "%s%s", p == cands ? "" : ", ", *p);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

bool sim_cfg_options(struct sim_cfg *c, const struct sim_node *v, const char *key,
		     const char *const *keys, const char *noun, unsigned flags, int *bad)
{
	if (v->type == SIM_NODE_NULL && (flags & SIM_CFG_DEFAULTS))
		return false;
	if (v->type != SIM_NODE_MAP) {
		char list[512];
		sim_join(list, sizeof list, keys);
		sim_cfg_error(c, v, "expected {%s} for '%s' in %s '%s', got %s", list, key, c->kind,
			      c->name, sim_node_type_name(v->type));
		*bad = -1;
		return false;
	}
	char what[256];
	snprintf(what, sizeof what, "the %s of %s '%s'", noun, c->kind, c->name);
	if (sim_cfg_check_keys(c, v, keys, what) < 0)
		*bad = -1;
	return true;
}

int sim_cfg_check_keys(struct sim_cfg *c, const struct sim_node *map,
		       const char *const *keys, const char *what)
{
	int bad = 0;
	for (size_t i = 0; i < map->n; i++) {
		const struct sim_node *k = map->kids[2 * i];
		bool known = false;
		for (const char *const *p = keys; *p && !known; p++)
			known = !strcmp(*p, k->str);
		if (known)
			continue;
		const char *s = sim_suggest(k->str, keys);
		if (s) {
			sim_cfg_error(c, k, "unknown key '%s' in %s (did you mean '%s'?)",
				      k->str, what, s);
		} else {
			char list[512];
			sim_join(list, sizeof list, keys);
			sim_cfg_error(c, k, "unknown key '%s' in %s (expected one of: %s)",
				      k->str, what, list);
		}
		bad = -1;
	}
	return bad;
}

const char *sim_cfg_scalar(struct sim_cfg *c, const struct sim_node *v,
			   const char *key, const char *expected)
{
	if (v->type == SIM_NODE_SCALAR)
		return v->str;
	sim_cfg_error(c, v, "expected %s for '%s' in %s '%s', got %s", expected, key,
		      c->kind, c->name, sim_node_type_name(v->type));
	return NULL;
}

typedef const char *parse_fn(const char *s, double *out);

static int parse_with(struct sim_cfg *c, const struct sim_node *v, const char *key,
		      double *out, unsigned flags, parse_fn *parse, const char *what)
{
	char article[64];
	snprintf(article, sizeof article, "a %s", what);
	const char *s = sim_cfg_scalar(c, v, key, article);
	if (!s)
		return -1;
	double x;
	const char *why = parse(s, &x);
	if (why) {
		sim_cfg_error(c, v, "bad %s '%s' for '%s' in %s '%s' (%s)", what, s, key,
			      c->kind, c->name, why);
		return -1;
	}
	if ((flags & SIM_CFG_POSITIVE) && !(x > 0)) {
		sim_cfg_error(c, v, "'%s' in %s '%s' must be greater than 0, got '%s'", key,
			      c->kind, c->name, s);
		return -1;
	}
	*out = x;
	return 1;
}

/* Notes how a duration is written: a bare number (seconds) for a key
 * that usually holds milliseconds, or a value in ms or us. */
static void note_unit(struct sim_cfg_units *u, const struct sim_node *v, const char *key,
		      double x)
{
	static const char *const fast[] = { "mean", "value", "min", "max", "mode", "median",
					    "scale", "timeout", "linger", NULL };
	double n;
	size_t len = strlen(v->str);
	if (len > 2 && (!strcmp(v->str + len - 2, "ms") || !strcmp(v->str + len - 2, "us")))
		u->small++;
	else if (x > 0 && !sim_parse_number(v->str, &n) && u->nbare < SIM_CFG_MAX_BARE)
		for (const char *const *k = fast; *k; k++)
			if (!strcmp(key, *k)) {
				u->bare[u->nbare] = v;
				u->bare_key[u->nbare++] = *k;
				break;
			}
}

int sim_cfg_duration_of(struct sim_cfg *c, const struct sim_node *v, const char *key,
			double *out, unsigned flags)
{
	int r = parse_with(c, v, key, out, flags, sim_parse_duration, "duration");
	if (r > 0 && c->units)
		note_unit(c->units, v, key, *out);
	return r;
}

int sim_cfg_rate_of(struct sim_cfg *c, const struct sim_node *v, const char *key,
		    double *out, unsigned flags)
{
	return parse_with(c, v, key, out, flags, sim_parse_rate, "rate");
}

int sim_cfg_number_of(struct sim_cfg *c, const struct sim_node *v, const char *key,
		      double *out, double min, double max)
{
	double x;
	int r = parse_with(c, v, key, &x, 0, sim_parse_number, "number");
	if (r <= 0)
		return r;
	if (x < min || x > max) {
		sim_cfg_error(c, v, "'%s' in %s '%s' must be between %g and %g, got '%s'",
			      key, c->kind, c->name, min, max, v->str);
		return -1;
	}
	*out = x;
	return 1;
}

/* map[key] through a value-level reader: absent is 0, or an error when
 * required. */
#define FROM_MAP(c, map, key, flags, call)                                      \
	do {                                                                    \
		const struct sim_node *v_ = sim_cfg_value(c, map, key, flags);  \
		if (!v_)                                                        \
			return (flags) & SIM_CFG_REQUIRED ? -1 : 0;             \
		return call;                                                    \
	} while (0)

int sim_cfg_duration(struct sim_cfg *c, const struct sim_node *map, const char *key,
		     double *out, unsigned flags)
{
	FROM_MAP(c, map, key, flags, sim_cfg_duration_of(c, v_, key, out, flags));
}

int sim_cfg_rate(struct sim_cfg *c, const struct sim_node *map, const char *key,
		 double *out, unsigned flags)
{
	FROM_MAP(c, map, key, flags, sim_cfg_rate_of(c, v_, key, out, flags));
}

int sim_cfg_number(struct sim_cfg *c, const struct sim_node *map, const char *key,
		   double *out, double min, double max, unsigned flags)
{
	FROM_MAP(c, map, key, flags, sim_cfg_number_of(c, v_, key, out, min, max));
}

int sim_cfg_count(struct sim_cfg *c, const struct sim_node *map, const char *key,
		  uint64_t *out, uint64_t min, uint64_t max, unsigned flags)
{
	const struct sim_node *v = sim_cfg_value(c, map, key, flags);
	if (!v)
		return flags & SIM_CFG_REQUIRED ? -1 : 0;
	const char *s = sim_cfg_scalar(c, v, key, "a count");
	if (!s)
		return -1;
	if ((flags & SIM_CFG_UNBOUNDED) && !strcmp(s, "unbounded")) {
		*out = UINT64_MAX;
		return 1;
	}
	uint64_t x;
	const char *why = sim_parse_count(s, &x);
	if (why) {
		sim_cfg_error(c, v, "bad count '%s' for '%s' in %s '%s' (%s)", s, key,
			      c->kind, c->name, why);
		return -1;
	}
	if (x < min || x > max) {
		sim_cfg_error(c, v, "'%s' in %s '%s' must be between %llu and %llu, got '%s'",
			      key, c->kind, c->name, (unsigned long long)min,
			      (unsigned long long)max, s);
		return -1;
	}
	*out = x;
	return 1;
}

int sim_cfg_bool(struct sim_cfg *c, const struct sim_node *map, const char *key, bool *out)
{
	const struct sim_node *v = sim_cfg_value(c, map, key, 0);
	if (!v)
		return 0;
	if (v->type == SIM_NODE_SCALAR && (!strcmp(v->str, "true") || !strcmp(v->str, "false"))) {
		*out = !strcmp(v->str, "true");
		return 1;
	}
	sim_cfg_error(c, v, "expected true or false for '%s' in %s '%s'", key, c->kind, c->name);
	return -1;
}

int sim_cfg_choice(struct sim_cfg *c, const struct sim_node *map, const char *key,
		   const char *const *choices, int *out, unsigned flags)
{
	const struct sim_node *v = sim_cfg_value(c, map, key, flags);
	if (!v)
		return flags & SIM_CFG_REQUIRED ? -1 : 0;
	const char *s = sim_cfg_scalar(c, v, key, "a name");
	if (!s)
		return -1;
	for (int i = 0; choices[i]; i++)
		if (!strcmp(choices[i], s)) {
			*out = i;
			return 1;
		}
	char list[256];
	sim_join(list, sizeof list, choices);
	const char *hint = sim_suggest(s, choices);
	if (hint)
		sim_cfg_error(c, v, "unknown %s '%s' in %s '%s' (did you mean '%s'?)", key, s,
			      c->kind, c->name, hint);
	else
		sim_cfg_error(c, v, "unknown %s '%s' in %s '%s' (expected one of: %s)", key,
			      s, c->kind, c->name, list);
	return -1;
}

int sim_cfg_class(struct sim_cfg *c, const struct sim_node *v, const char *key,
		  uint16_t *out)
{
	const char *s = sim_cfg_scalar(c, v, key, "a class name");
	if (!s)
		return -1;
	for (size_t i = 0; i < c->nclasses; i++)
		if (!strcmp(c->class_names[i], s)) {
			*out = (uint16_t)i;
			return 1;
		}
	const char *hint = sim_suggest(s, c->class_names);
	char list[256];
	sim_join(list, sizeof list, c->class_names);
	if (hint)
		sim_cfg_error(c, v, "undefined class '%s' in %s '%s' (did you mean '%s'?)", s,
			      c->kind, c->name, hint);
	else
		sim_cfg_error(c, v, "undefined class '%s' in %s '%s' (classes: %s)", s,
			      c->kind, c->name, list);
	return -1;
}

int sim_cfg_column(struct sim_cfg *c, const struct sim_node *v)
{
	if (c->ncolumns == c->cap_columns) {
		size_t cap = c->cap_columns ? 2 * c->cap_columns : 8;
		const struct sim_node **n = realloc(c->columns, cap * sizeof *n);
		if (!n) {
			c->oom = true;
			return -1;
		}
		c->columns = n;
		c->cap_columns = cap;
	}
	c->columns[c->ncolumns++] = v;
	return 0;
}

int sim_cfg_link_of(struct sim_cfg *c, const struct sim_node *v, const char *key,
		    const char *want, uint32_t *out, unsigned flags)
{
	*out = UINT32_MAX;
	if (!sim_cfg_scalar(c, v, key, "a component name"))
		return -1;
	if (c->nlinks == c->cap_links) {
		size_t cap = c->cap_links ? 2 * c->cap_links : 16;
		struct sim_cfg_link *l = realloc(c->links, cap * sizeof *l);
		if (!l) {
			c->oom = true;
			sim_cfg_error(c, v, "out of memory");
			return -1;
		}
		c->links = l;
		c->cap_links = cap;
	}
	c->links[c->nlinks++] = (struct sim_cfg_link){
		.at = v, .key = key, .want = want, .out = out, .self = c->self, .flags = flags,
	};
	return 1;
}

int sim_cfg_link(struct sim_cfg *c, const struct sim_node *map, const char *key,
		 const char *want, uint32_t *out, unsigned flags)
{
	*out = UINT32_MAX;
	FROM_MAP(c, map, key, flags, sim_cfg_link_of(c, v_, key, want, out, flags));
}
