/* json.c - building, querying, aggregating and writing summary trees. */
#include "sim/json.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/arena.h"
#include "sim/stats.h"
#include "sim/strindex.h"

/* The arena and the indexes of one tree.  Its root is the first member,
 * so that sim_json_free finds the tree from the root. */
struct json_doc {
	struct sim_json root;
	struct sim_arena arena;		/* the nodes, the big containers' state,
					 * the strings */
	struct sim_strindex strs;	/* each string once: to itself */
	struct json_big *bigs;		/* their indexes to free */
};

/* A container past SIM_JSON_INDEX_MIN members (bit BIG): its last member
 * and, for an object, the index of its members' keys (built when it
 * passes that count, then fed one member at a time; out of memory,
 * lookups walk the members: the tree is whole). */
struct json_big {
	struct json_doc *doc;
	struct sim_json *last;
	struct sim_strindex index;	/* objects: key to the first member */
	struct json_big *next;
};

enum { ROOT = 1, BIG = 2 };

static bool is_container(const struct sim_json *j)
{
	return j->type == SIM_JSON_OBJ || j->type == SIM_JSON_ARR;
}

static struct json_doc *doc_of(const struct sim_json *container)
{
	if (container->bits & BIG)
		return ((struct json_big *)container->tree)->doc;
	return container->tree;
}

static struct json_big *big_of(const struct sim_json *j)
{
	return j->type == SIM_JSON_OBJ && (j->bits & BIG) ? j->tree : NULL;
}

struct sim_json *sim_json_new_obj(void)
{
	struct json_doc *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->root.type = SIM_JSON_OBJ;
	d->root.bits = ROOT;
	d->root.tree = d;
	return &d->root;
}

void sim_json_free(struct sim_json *j)
{
	if (!j || !(j->bits & ROOT))
		return;
	struct json_doc *d = (struct json_doc *)j;
	for (struct json_big *b = d->bigs; b; b = b->next)
		sim_strindex_fini(&b->index);
	sim_strindex_fini(&d->strs);
	sim_arena_fini(&d->arena);
	free(d);
}

/* The tree's copy of s (made at its first use), or NULL when out of
 * memory.  The index of strings off, each use makes a copy. */
static const char *intern(struct json_doc *d, const char *s)
{
	const char *had = (const char *)sim_strindex_get(&d->strs, s);
	if (had)
		return had;
	char *p = sim_arena_strdup(&d->arena, s);
	if (p)
		sim_strindex_add(&d->strs, p, (uintptr_t)p);
	return p;
}

/* p, with n members and j its last, passes SIM_JSON_INDEX_MIN: it keeps
 * its last member and its keys from now on.  Out of memory it walks. */
static void make_big(struct sim_json *p, struct sim_json *j)
{
	struct json_doc *d = doc_of(p);
	struct json_big *b = sim_arena_alloc(&d->arena, sizeof *b);
	if (!b)
		return;
	*b = (struct json_big){ .doc = d, .last = j, .next = d->bigs };
	d->bigs = b;
	p->tree = b;
	p->bits |= BIG;
	for (struct sim_json *c = p->first; p->type == SIM_JSON_OBJ && c; c = c->next)
		if (c->key && sim_strindex_add(&b->index, c->key, (uintptr_t)c) < 0)
			return;
}

/* j becomes p's last member. */
static void append(struct sim_json *p, struct sim_json *j)
{
	if (p->bits & BIG) {
		struct json_big *b = p->tree;
		b->last->next = j;
		b->last = j;
		if (p->type == SIM_JSON_OBJ && j->key)
			sim_strindex_add(&b->index, j->key, (uintptr_t)j);
		return;
	}
	size_t n = 1;
	struct sim_json **at = &p->first;
	for (; *at; at = &(*at)->next)
		n++;
	*at = j;
	if (n == SIM_JSON_INDEX_MIN + 1)
		make_big(p, j);
}

static struct sim_json *add(struct sim_json *parent, const char *key,
			    enum sim_json_type t)
{
	if (!parent || !is_container(parent))
		return NULL;
	struct json_doc *d = doc_of(parent);
	struct sim_json *j = sim_arena_alloc(&d->arena, sizeof *j);
	if (!j || (key && !(j->key = intern(d, key)))) {
		parent->oom = true;
		return NULL;
	}
	j->type = t;
	if (is_container(j))
		j->tree = d;
	append(parent, j);
	return j;
}

/* The node before j among p's members (j is one), or NULL if j is first. */
static struct sim_json *before(const struct sim_json *p, const struct sim_json *j)
{
	struct sim_json *prev = NULL;
	for (struct sim_json *c = p->first; c != j; c = c->next)
		prev = c;
	return prev;
}

/* j, just moved before other members of p, is now the first member with
 * its key if the one indexed under it comes after it. */
static void index_moved(struct sim_json *p, struct sim_json *j)
{
	struct json_big *b = big_of(p);
	if (!b || !j->key || !sim_strindex_on(&b->index))
		return;
	const struct sim_json *had = (const struct sim_json *)sim_strindex_get(&b->index, j->key);
	for (const struct sim_json *c = p->first; c && c != had; c = c->next)
		if (c == j) {
			sim_strindex_set(&b->index, j->key, (uintptr_t)j);
			return;
		}
}

struct sim_json *sim_json_obj(struct sim_json *p, const char *key)
{
	return add(p, key, SIM_JSON_OBJ);
}

struct sim_json *sim_json_arr(struct sim_json *p, const char *key)
{
	return add(p, key, SIM_JSON_ARR);
}

struct sim_json *sim_json_arr_before(struct sim_json *p, const char *key, const char *before_key)
{
	struct sim_json *j = add(p, key, SIM_JSON_ARR);
	if (!j)
		return NULL;
	struct sim_json *prev = NULL, *at = p->first;
	while (at != j && !(at->key && !strcmp(at->key, before_key))) {
		prev = at;
		at = at->next;
	}
	if (at == j)
		return j;
	struct sim_json *last = before(p, j);	/* j is last: take it off the end */
	last->next = NULL;
	if (p->bits & BIG)
		((struct json_big *)p->tree)->last = last;
	j->next = at;
	if (prev)
		prev->next = j;
	else
		p->first = j;
	index_moved(p, j);
	return j;
}

struct sim_json *sim_json_num(struct sim_json *p, const char *key, double v)
{
	struct sim_json *j = add(p, key, SIM_JSON_NUM);
	if (j)
		j->num = v;
	return j;
}

struct sim_json *sim_json_bool(struct sim_json *p, const char *key, bool v)
{
	struct sim_json *j = add(p, key, SIM_JSON_BOOL);
	if (j)
		j->b = v;
	return j;
}

struct sim_json *sim_json_str(struct sim_json *p, const char *key, const char *v)
{
	struct sim_json *j = add(p, key, SIM_JSON_STR);
	if (j && !(j->str = intern(doc_of(p), v)))
		p->oom = true;
	return j;
}

struct sim_json *sim_json_null(struct sim_json *p, const char *key)
{
	return add(p, key, SIM_JSON_NULL);
}

static struct sim_json *member(const struct sim_json *j, const char *key)
{
	if (!j || j->type != SIM_JSON_OBJ)
		return NULL;
	const struct json_big *b = big_of(j);
	if (b && sim_strindex_on(&b->index))
		return (struct sim_json *)sim_strindex_get(&b->index, key);
	for (struct sim_json *c = j->first; c; c = c->next)
		if (c->key && !strcmp(c->key, key))
			return c;
	return NULL;
}

static struct sim_json *vget(const struct sim_json *j, va_list ap)
{
	const char *k;
	while (j && (k = va_arg(ap, const char *)))
		j = member(j, k);
	return (struct sim_json *)j;
}

struct sim_json *sim_json_get(const struct sim_json *j, ...)
{
	va_list ap;
	va_start(ap, j);
	struct sim_json *r = vget(j, ap);
	va_end(ap);
	return r;
}

double sim_json_getnum(const struct sim_json *j, ...)
{
	va_list ap;
	va_start(ap, j);
	struct sim_json *r = vget(j, ap);
	va_end(ap);
	return r && r->type == SIM_JSON_NUM ? r->num : NAN;
}

bool sim_json_failed(const struct sim_json *j)
{
	for (; j; j = j->next)
		if (j->oom || sim_json_failed(j->first))
			return true;
	return false;
}

/* The decimal digits of an integer below 2^53, as "%.0f" prints it; far
 * cheaper than printf, and most numbers written (counts, the time series'
 * columns) are integers. */
static void format_int(char *buf, size_t size, double v)
{
	char digits[24];
	size_t n = 0;
	uint64_t u = (uint64_t)fabs(v);
	do
		digits[n++] = (char)('0' + u % 10);
	while (u /= 10);
	if (size < n + 2) {
		snprintf(buf, size, "%.0f", v);
		return;
	}
	if (v < 0)
		*buf++ = '-';
	while (n)
		*buf++ = digits[--n];
	*buf = '\0';
}

void sim_json_format_num(char *buf, size_t size, double v)
{
	if (!isfinite(v))
		snprintf(buf, size, "null");
	else if (v == floor(v) && fabs(v) < 9007199254740992.0)
		format_int(buf, size, v == 0 ? 0.0 : v);
	else
		snprintf(buf, size, "%.10g", v);
}

static void write_str(const char *s, FILE *f)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", f);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/* Short objects of scalars ({"mean": 1, "p50": 2}) go on one line. */
static bool is_flat(const struct sim_json *j)
{
	int n = 0;
	for (const struct sim_json *c = j->first; c; c = c->next, n++)
		if (c->type == SIM_JSON_OBJ || c->type == SIM_JSON_ARR || n >= 6)
			return false;
	return true;
}

static void write_node(const struct sim_json *j, FILE *f, int depth)
{
	char num[64];
	switch (j->type) {
	case SIM_JSON_NULL: fputs("null", f); return;
	case SIM_JSON_BOOL: fputs(j->b ? "true" : "false", f); return;
	case SIM_JSON_NUM:
		sim_json_format_num(num, sizeof num, j->num);
		fputs(num, f);
		return;
	case SIM_JSON_STR: write_str(j->str, f); return;
	case SIM_JSON_OBJ:
	case SIM_JSON_ARR: break;
	}
	bool obj = j->type == SIM_JSON_OBJ;
	if (!j->first) {
		fputs(obj ? "{}" : "[]", f);
		return;
	}
	bool flat = is_flat(j) && depth > 0;
	fputc(obj ? '{' : '[', f);
	for (const struct sim_json *c = j->first; c; c = c->next) {
		if (flat)
			fputs(c == j->first ? "" : ", ", f);
		else
			fprintf(f, "%s\n%*s", c == j->first ? "" : ",", 2 * (depth + 1), "");
		if (obj) {
			write_str(c->key ? c->key : "", f);
			fputs(": ", f);
		}
		write_node(c, f, depth + 1);
	}
	if (!flat)
		fprintf(f, "\n%*s", 2 * depth, "");
	fputc(obj ? '}' : ']', f);
}

void sim_json_write(const struct sim_json *j, FILE *f)
{
	write_node(j, f, 0);
	fputc('\n', f);
}

static bool in(const char *key, const char *const *list)
{
	for (; key && list && *list; list++)
		if (!strcmp(key, *list))
			return true;
	return false;
}

void sim_json_copy_into(struct sim_json *parent, const struct sim_json *src)
{
	struct sim_json *d = add(parent, src->key, src->type);
	if (!d)
		return;
	if (src->type == SIM_JSON_NUM)
		d->num = src->num;
	d->b = src->b;
	if (src->str && !(d->str = intern(doc_of(parent), src->str)))
		parent->oom = true;
	for (const struct sim_json *c = src->first; c; c = c->next)
		sim_json_copy_into(d, c);
}

static void agg_kids(struct sim_json *o, const struct sim_json *const *v, size_t n,
		     const char *const *share, const char *const *keep);

/* Aggregates the members at the same position of n sibling nodes. */
static void agg_node(struct sim_json *parent, const struct sim_json *const *v, size_t n,
		     const char *const *share, const char *const *keep)
{
	const struct sim_json *j = v[0];
	if (in(j->key, keep) || j->type == SIM_JSON_STR) {
		sim_json_copy_into(parent, j);
		return;
	}
	if (j->type == SIM_JSON_BOOL) {
		size_t yes = 0;
		for (size_t i = 0; i < n; i++)
			yes += v[i]->type == SIM_JSON_BOOL && v[i]->b;
		if (in(j->key, share))
			sim_json_num(parent, j->key, (double)yes / (double)n);
		else
			sim_json_bool(parent, j->key, yes == n);
		return;
	}
	if (j->type == SIM_JSON_NUM || j->type == SIM_JSON_NULL) {
		double sum = 0, sum2 = 0;
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (v[i]->type == SIM_JSON_NUM && isfinite(v[i]->num)) {
				sum += v[i]->num;
				k++;
			}
		double mean = k ? sum / (double)k : NAN;
		for (size_t i = 0; i < n; i++)
			if (v[i]->type == SIM_JSON_NUM && isfinite(v[i]->num))
				sum2 += (v[i]->num - mean) * (v[i]->num - mean);
		double sd = k > 1 ? sqrt(sum2 / (double)(k - 1)) : NAN;
		struct sim_json *o = sim_json_obj(parent, j->key);
		sim_json_num(o, "mean", mean);
		sim_json_num(o, "ci95", sim_ci95(sd, k));
		sim_json_num(o, "n", (double)k);
		return;
	}
	struct sim_json *o = add(parent, j->key, j->type);
	if (o)
		agg_kids(o, v, n, share, keep);
}

/* Into o: the aggregates of the members of n containers like v[0]. */
static void agg_kids(struct sim_json *o, const struct sim_json *const *v, size_t n,
		     const char *const *share, const char *const *keep)
{
	const struct sim_json *j = v[0];
	/* kids, then a cursor per tree on the element at c's position */
	const struct sim_json **kids = malloc(2 * n * sizeof *kids);
	if (!kids) {
		o->oom = true;
		return;
	}
	const struct sim_json **at = kids + n;
	for (size_t i = 0; i < n; i++)
		at[i] = v[i]->first;
	for (const struct sim_json *c = j->first; c; c = c->next) {
		/* the same member in every tree: by key in objects, by
		 * position in arrays */
		bool ok = true;
		for (size_t i = 0; i < n; i++) {
			kids[i] = j->type == SIM_JSON_OBJ ? member(v[i], c->key) : at[i];
			ok = ok && kids[i];
			at[i] = at[i] ? at[i]->next : NULL;
		}
		if (ok)
			agg_node(o, kids, n, share, keep);
	}
	free(kids);
}

struct sim_json *sim_json_aggregate(const struct sim_json *const *trees, size_t n,
				    const char *const *share_keys,
				    const char *const *keep_keys)
{
	struct sim_json *root = sim_json_new_obj();
	if (!root || !n)
		return root;
	agg_kids(root, trees, n, share_keys, keep_keys);
	if (sim_json_failed(root)) {
		sim_json_free(root);
		return NULL;
	}
	return root;
}
