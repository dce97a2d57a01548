/* node.c - builds the node tree from libyaml's event stream.
 *
 * The builder keeps its own stack of open collections (never recursion),
 * so nesting depth costs no C stack; aliases are deep-copied against a
 * node budget, which bounds both time and memory for hostile files.  A
 * map is checked for duplicate keys and its merge key expanded
 * (node_map.c) as it closes.
 */
#include "sim/node.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "sim/ring.h"

struct open {
	struct sim_node *node;
	struct sim_node **kids;
	size_t n, cap;
	const char *anchor;
};

struct anchor {
	char *name;
	struct sim_node *node;
};

struct builder {
	struct sim_arena *arena;
	struct sim_diag *diag;
	const char *file;
	struct open stack[SIM_NODE_MAX_DEPTH + 1];
	int depth;
	struct anchor *anchors;
	size_t nanchors, cap_anchors;
	size_t copies;		/* nodes made by expanding aliases */
	struct sim_node *root;
	bool failed;
};

const char *sim_node_type_name(enum sim_node_type t)
{
	switch (t) {
	case SIM_NODE_NULL: return "nothing";
	case SIM_NODE_SCALAR: return "a value";
	case SIM_NODE_MAP: return "a map";
	case SIM_NODE_SEQ: return "a list";
	}
	return "?";
}

static void fail(struct builder *b, int line, int col, const char *msg)
{
	if (!b->failed)
		sim_diag_error(b->diag, b->file, line, col, "%s", msg);
	b->failed = true;
}

static struct sim_node *new_node(struct builder *b, enum sim_node_type t,
				 const yaml_mark_t *m)
{
	struct sim_node *n = sim_arena_alloc(b->arena, sizeof *n);
	if (!n) {
		fail(b, (int)m->line + 1, (int)m->column + 1, "out of memory");
		return NULL;
	}
	n->type = t;
	n->line = (int)m->line + 1;
	n->col = (int)m->column + 1;
	n->file = b->file;
	n->str = "";
	return n;
}

/* Copies an aliased tree; errors point at the alias (at).  Depth is
 * bounded by SIM_NODE_MAX_DEPTH, so recursion is safe here.  The copies
 * are what a small file can multiply ("billion laughs"), so they have a
 * budget of their own; the nodes written out in the file are bounded by
 * its size. */
static struct sim_node *copy_tree(struct builder *b, const struct sim_node *src,
				  const yaml_mark_t *at)
{
	if (++b->copies > SIM_NODE_MAX_COPIES) {
		char msg[128];
		snprintf(msg, sizeof msg,
			 "scenario too large: aliases expand to more than %d nodes",
			 SIM_NODE_MAX_COPIES);
		fail(b, (int)at->line + 1, (int)at->column + 1, msg);
		return NULL;
	}
	struct sim_node *n = new_node(b, src->type, at);
	if (!n)
		return NULL;
	*n = *src;
	size_t k = src->type == SIM_NODE_MAP ? 2 * src->n : src->n;
	if (k) {
		n->kids = sim_arena_alloc(b->arena, k * sizeof *n->kids);
		if (!n->kids)
			return NULL;
		for (size_t i = 0; i < k; i++)
			if (!(n->kids[i] = copy_tree(b, src->kids[i], at)))
				return NULL;
	}
	return n;
}

static int add_anchor(struct builder *b, const char *name, struct sim_node *n)
{
	void *v = b->anchors;
	if (b->nanchors == b->cap_anchors &&
	    sim_array_grow(&v, b->nanchors, &b->cap_anchors, sizeof *b->anchors, 8) < 0)
		return -1;
	b->anchors = v;
	b->anchors[b->nanchors].name = sim_arena_strdup(b->arena, name);
	b->anchors[b->nanchors++].node = n;
	return 0;
}

static struct sim_node *find_anchor(struct builder *b, const char *name)
{
	for (size_t i = b->nanchors; i-- > 0;)	/* latest definition wins */
		if (!strcmp(b->anchors[i].name, name))
			return b->anchors[i].node;
	return NULL;
}

static int cmp_key(const void *x, const void *y)
{
	const struct sim_node *a = *(struct sim_node *const *)x;
	const struct sim_node *c = *(struct sim_node *const *)y;
	int r = strcmp(a->str, c->str);
	if (r)
		return r;
	return a->line != c->line ? a->line - c->line : a->col - c->col;
}

/* Reports duplicate keys of a finished map: O(n log n) even for big maps. */
static void check_duplicates(struct builder *b, struct sim_node *map)
{
	if (map->n < 2)
		return;
	struct sim_node **keys = malloc(map->n * sizeof *keys);
	if (!keys)
		return;
	for (size_t i = 0; i < map->n; i++)
		keys[i] = map->kids[2 * i];
	qsort(keys, map->n, sizeof *keys, cmp_key);
	for (size_t i = 1; i < map->n; i++)
		if (!strcmp(keys[i]->str, keys[i - 1]->str)) {
			sim_diag_error(b->diag, b->file, keys[i]->line, keys[i]->col,
				       "duplicate key '%s' (first at line %d)",
				       keys[i]->str, keys[i - 1]->line);
			b->failed = true;
		}
	free(keys);
}

static int attach(struct builder *b, struct sim_node *n)
{
	if (b->depth == 0) {
		b->root = n;
		return 0;
	}
	struct open *o = &b->stack[b->depth - 1];
	if (o->node->type == SIM_NODE_MAP && o->n % 2 == 0 && n->type != SIM_NODE_SCALAR) {
		fail(b, n->line, n->col, "map keys must be plain values");
		return -1;
	}
	void *v = o->kids;
	if (o->n == o->cap && sim_array_grow(&v, o->n, &o->cap, sizeof *o->kids, 8) < 0) {
		fail(b, n->line, n->col, "out of memory");
		return -1;
	}
	o->kids = v;
	o->kids[o->n++] = n;
	return 0;
}

static int close_open(struct builder *b)
{
	struct open *o = &b->stack[--b->depth];
	struct sim_node *n = o->node;
	if (o->n) {
		n->kids = sim_arena_alloc(b->arena, o->n * sizeof *n->kids);
		if (!n->kids) {
			fail(b, n->line, n->col, "out of memory");
			return -1;
		}
		memcpy(n->kids, o->kids, o->n * sizeof *n->kids);
	}
	n->n = n->type == SIM_NODE_MAP ? o->n / 2 : o->n;
	free(o->kids);
	o->kids = NULL;
	if (n->type == SIM_NODE_MAP) {
		check_duplicates(b, n);
		const struct sim_node *at;
		const char *why;
		if (sim_node_merge_keys(b->arena, n, &at, &why) < 0) {
			fail(b, at->line, at->col, why);
			return -1;
		}
	}
	if (o->anchor && add_anchor(b, o->anchor, n) < 0) {
		fail(b, n->line, n->col, "out of memory");
		return -1;
	}
	return attach(b, n);
}

static bool is_null(const yaml_event_t *ev)
{
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *v = (const char *)ev->data.scalar.value;
	return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
	       !strcmp(v, "NULL");
}

static int on_event(struct builder *b, yaml_event_t *ev, int *docs)
{
	const yaml_mark_t *m = &ev->start_mark;
	struct sim_node *n;
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++*docs > 1) {
			fail(b, (int)m->line + 1, (int)m->column + 1,
			     "a scenario is one YAML document; found a second one");
			return -1;
		}
		return 0;
	case YAML_SCALAR_EVENT:
		n = new_node(b, is_null(ev) ? SIM_NODE_NULL : SIM_NODE_SCALAR, m);
		if (!n)
			return -1;
		n->str = sim_arena_strndup(b->arena, (const char *)ev->data.scalar.value,
					   ev->data.scalar.length);
		if (!n->str)
			return fail(b, n->line, n->col, "out of memory"), -1;
		if (strlen(n->str) != ev->data.scalar.length)
			return fail(b, n->line, n->col, "NUL character in a value"), -1;
		if (ev->data.scalar.anchor &&
		    add_anchor(b, (const char *)ev->data.scalar.anchor, n) < 0)
			return fail(b, n->line, n->col, "out of memory"), -1;
		return attach(b, n);
	case YAML_ALIAS_EVENT: {
		struct sim_node *src = find_anchor(b, (const char *)ev->data.alias.anchor);
		if (!src) {
			char msg[160];
			snprintf(msg, sizeof msg, "unknown alias '*%.100s'",
				 (const char *)ev->data.alias.anchor);
			fail(b, (int)m->line + 1, (int)m->column + 1, msg);
			return -1;
		}
		n = copy_tree(b, src, m);
		if (!n)
			return -1;
		return attach(b, n);
	}
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT: {
		if (b->depth >= SIM_NODE_MAX_DEPTH) {
			char msg[96];
			snprintf(msg, sizeof msg, "nesting deeper than %d levels",
				 SIM_NODE_MAX_DEPTH);
			fail(b, (int)m->line + 1, (int)m->column + 1, msg);
			return -1;
		}
		bool map = ev->type == YAML_MAPPING_START_EVENT;
		n = new_node(b, map ? SIM_NODE_MAP : SIM_NODE_SEQ, m);
		if (!n)
			return -1;
		yaml_char_t *anchor = map ? ev->data.mapping_start.anchor
					  : ev->data.sequence_start.anchor;
		b->stack[b->depth++] = (struct open){
			.node = n,
			.anchor = anchor ? sim_arena_strdup(b->arena, (const char *)anchor) : NULL,
		};
		return 0;
	}
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		return close_open(b);
	default:
		return 0;
	}
}

/* 1-based line and column (in bytes) of a byte offset. */
static void offset_position(const char *buf, size_t len, size_t off, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off && i < len; i++) {
		if (buf[i] == '\n') {
			++*line;
			*col = 1;
		} else {
			++*col;
		}
	}
}

struct sim_node *sim_node_parse(struct sim_arena *arena, const char *file,
				const char *buf, size_t len, struct sim_diag *diag)
{
	struct builder b = { .arena = arena, .diag = diag, .file = file };
	yaml_parser_t parser;
	yaml_event_t ev;
	int docs = 0;
	bool done = false;

	if (len > SIM_NODE_MAX_BYTES) {
		sim_diag_error(diag, file, 0, 0, "file too large (%zu bytes; at most %u)",
			       len, SIM_NODE_MAX_BYTES);
		return NULL;
	}
	if (!yaml_parser_initialize(&parser)) {
		sim_diag_error(diag, file, 0, 0, "out of memory");
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	while (!done && !b.failed) {
		if (!yaml_parser_parse(&parser, &ev)) {
			int line = (int)parser.problem_mark.line + 1;
			int col = (int)parser.problem_mark.column + 1;
			char extra[48] = "";
			if (parser.error == YAML_READER_ERROR) {
				/* the reader gives a byte offset, not a mark */
				offset_position(buf, len, parser.problem_offset, &line, &col);
				if (parser.problem_value >= 0)
					snprintf(extra, sizeof extra, " (byte 0x%02x)",
						 (unsigned)parser.problem_value & 0xff);
			}
			size_t at = parser.problem_mark.index;
			if (parser.error == YAML_SCANNER_ERROR && at < len && buf[at] == '\t') {
				sim_diag_error(diag, file, line, col,
					       "a tab character here: YAML indents with spaces only");
				b.failed = true;
				break;
			}
			sim_diag_error(diag, file, line, col, "%s%s%s%s",
				       parser.problem ? parser.problem : "invalid YAML", extra,
				       parser.context ? " " : "",
				       parser.context ? parser.context : "");
			b.failed = true;
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		on_event(&b, &ev, &docs);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	for (int i = 0; i < b.depth; i++)
		free(b.stack[i].kids);
	free(b.anchors);
	if (b.failed)
		return NULL;
	if (!b.root || b.root->type == SIM_NODE_NULL) {
		sim_diag_error(diag, file, 1, 1, "empty scenario (expected a map of keys such as duration and components)");
		return NULL;
	}
	return b.root;
}

char *sim_node_read(const char *path, size_t *len, struct sim_diag *diag)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		sim_diag_error(diag, path, 0, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap || n > SIM_NODE_MAX_BYTES)
			break;
		char *nb = realloc(buf, cap *= 2);
		if (!nb)
			free(buf);
		buf = nb;
	}
	int err = ferror(f);
	fclose(f);
	if (!buf || err) {
		free(buf);
		sim_diag_error(diag, path, 0, 0, "%s", err ? "cannot read the file" : "out of memory");
		return NULL;
	}
	*len = n;
	return buf;
}

struct sim_node *sim_node_load(struct sim_arena *arena, const char *path,
			       struct sim_diag *diag)
{
	size_t len;
	char *buf = sim_node_read(path, &len, diag);
	if (!buf)
		return NULL;
	struct sim_node *root = sim_node_parse(arena, path, buf, len, diag);
	free(buf);
	return root;
}
