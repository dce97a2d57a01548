/* bpoints.c - the points of a boundary search: judged from each run,
 * written to boundary.csv after each one, read back to resume.
 *
 * boundary.csv (RFC 4180, sim/csv.h): a row per point in the order run,
 * the key values as given to --set, then replications, recovered,
 * recovered_share, wilson_lo, wilson_hi (95%), recovery_time_p50_s
 * (empty when at most half recovered: the median is then "not
 * recovered") and stopped_by_limit (replications a limit stopped, which
 * count as not recovered).  Reading back trusts only rows whose every
 * field parses; the search decides which rows it may use.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/atomic.h"
#include "sim/boundary_private.h"
#include "sim/csv.h"
#include "sim/json.h"
#include "sim/units.h"

static const char *const columns[] = {
	"replications", "recovered", "recovered_share", "wilson_lo", "wilson_hi",
	"recovery_time_p50_s", "stopped_by_limit", NULL,
};

/* x in plain decimals, at most 6 significant digits, no exponent. */
static void decimal(double x, char *buf, size_t size)
{
	snprintf(buf, size, "%.6g", x);
	if (!strchr(buf, 'e'))
		return;
	snprintf(buf, size, "%.9f", x);
	char *end = buf + strlen(buf);
	while (end > buf && end[-1] == '0')
		*--end = 0;
	if (end > buf && end[-1] == '.')
		*--end = 0;
}

double bnd_value_set(const struct bnd_key *k, double x, char *buf)
{
	char num[48];
	if (k->whole)
		snprintf(num, sizeof num, "%.0f", round(x));
	else
		decimal(x, num, sizeof num);
	snprintf(buf, BND_VALUE_LEN, "%s%s", num,
		 k->how == BND_RATE ? "/s" : k->how == BND_DURATION ? "s" : "");
	return strtod(num, NULL);
}

void bnd_value_show(const struct bnd_key *k, double x, double width, char *buf, size_t size)
{
	double shown = x, scale = 1;
	const char *unit = k->how == BND_RATE ? "/s" : k->how == BND_DURATION ? " s" : "";
	if (k->how == BND_DURATION && fabs(x) < 1 && x != 0) {
		scale = 1000;
		unit = " ms";
	}
	shown *= scale;
	/* three significant digits, or enough to tell apart values width
	 * apart; whole digits kept, no exponent, no trailing zeros */
	int mag = shown != 0 ? (int)floor(log10(fabs(shown))) : 0;
	int decimals = mag >= 2 ? 0 : 2 - mag;
	if (width > 0 && isfinite(width)) {
		int need = 1 - (int)floor(log10(width * scale));
		decimals = need > decimals ? need : decimals;
	}
	decimals = k->whole ? 0 : decimals < 0 ? 0 : decimals > 9 ? 9 : decimals;
	int n = snprintf(buf, size, "%.*f", decimals, shown);
	if (decimals && n > 0 && (size_t)n < size) {
		while (n > 1 && buf[n - 1] == '0')
			buf[--n] = 0;
		if (buf[n - 1] == '.')
			buf[--n] = 0;
	}
	snprintf(buf + strlen(buf), size - strlen(buf), "%s", unit);
}

const char *bnd_key_unit(const struct bnd_key *k)
{
	return k->how == BND_RATE ? "per second" : k->how == BND_DURATION ? "s" : "";
}

/* Whether replication rep recovered (by metric's criteria, or all), and
 * when the last of them did, into *t (seconds after the window). */
static bool rep_recovered(const struct sim_json *rep, const char *metric, double *t)
{
	*t = INFINITY;
	const struct sim_json *c = sim_json_get(rep, "complete", NULL);
	const struct sim_json *list = sim_json_get(rep, "recovery", NULL);
	if (!c || !c->b || !list)
		return false;
	double last = 0;
	size_t judged = 0;
	for (const struct sim_json *r = list->first; r; r = r->next) {
		const struct sim_json *m = sim_json_get(r, "metric", NULL);
		if (metric && (!m || !m->str || strcmp(m->str, metric)))
			continue;
		const struct sim_json *ok = sim_json_get(r, "recovered", NULL);
		double when = sim_json_getnum(r, "recovery_time_s", NULL);
		if (!ok || !ok->b || !isfinite(when))
			return false;
		last = fmax(last, when);
		judged++;
	}
	if (!judged)
		return false;
	*t = last;
	return true;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void bnd_judge(const struct study_run *run, const char *metric, unsigned reps,
	       struct bnd_point *p)
{
	p->n = reps;
	p->k = p->stopped = 0;
	p->median_s = NAN;
	double *t = calloc(reps, sizeof *t);
	const struct sim_json *list = run->reps ? sim_json_get(run->reps, "reps", NULL) : NULL;
	unsigned i = 0;
	for (const struct sim_json *rep = list ? list->first : NULL; rep && i < reps; rep = rep->next) {
		const struct sim_json *c = sim_json_get(rep, "complete", NULL);
		double when;
		p->stopped += !c || !c->b;
		p->k += rep_recovered(rep, metric, &when);
		if (t)
			t[i] = when;
		i++;
	}
	p->stopped += reps - i;	/* never ran */
	for (unsigned j = i; t && j < reps; j++)
		t[j] = INFINITY;
	if (t && 2 * p->k > reps) {	/* else the median is "not recovered" */
		qsort(t, reps, sizeof *t, by_value);
		p->median_s = reps % 2 ? t[reps / 2] : (t[reps / 2 - 1] + t[reps / 2]) / 2;
	}
	free(t);
}

int bnd_points_add(struct bnd *b, const struct bnd_point *p)
{
	if (b->npts == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 64;
		struct bnd_point *n = realloc(b->pts, cap * sizeof *n);
		if (!n) {
			fprintf(stderr, "sim: out of memory\n");
			return -1;
		}
		b->pts = n;
		b->cap = cap;
	}
	b->pts[b->npts++] = *p;
	return 0;
}

const struct bnd_point *bnd_points_find(const struct bnd *b, const struct bnd_point *want,
					unsigned reps)
{
	for (size_t i = 0; i < b->nold; i++) {
		const struct bnd_point *p = &b->old[i];
		bool same = p->n == reps;
		for (size_t k = 0; k < b->nkeys && same; k++)
			same = !strcmp(p->value[k], want->value[k]);
		if (same)
			return p;
	}
	return NULL;
}

void bnd_point_folder(const struct bnd *b, const struct bnd_point *p, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = 0;
	for (size_t k = 0; k < b->nkeys && used < size; k++) {
		const char *name = strrchr(b->key[k].name, '.');
		name = name ? name + 1 : b->key[k].name;
		used += (size_t)snprintf(buf + used, size - used, "%s%s=%s", k ? "," : "", name,
					 p->value[k]);
	}
	for (char *c = buf; *c; c++)
		if (*c == '/' || *c == ' ' || *c == ':' || *c == '\\')
			*c = '_';
}

FILE *bnd_open(struct sim_atomic *a, const char *dir, const char *name)
{
	char path[4400];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return sim_atomic_open(a, path);
}

int bnd_points_write(const struct bnd *b, const char *dir)
{
	struct sim_atomic a;
	FILE *f = bnd_open(&a, dir, "boundary.csv");
	if (!f)
		return -1;
	for (size_t k = 0; k < b->nkeys; k++) {
		sim_csv_field(f, b->key[k].name);
		fputc(',', f);
	}
	for (size_t c = 0; columns[c]; c++)
		fprintf(f, "%s%s", c ? "," : "", columns[c]);
	fputc('\n', f);
	for (size_t i = 0; i < b->npts; i++) {
		const struct bnd_point *p = &b->pts[i];
		double lo, hi;
		sim_wilson(p->k, p->n, SIM_BISECT_Z95, &lo, &hi);
		for (size_t k = 0; k < b->nkeys; k++) {
			sim_csv_field(f, p->value[k]);
			fputc(',', f);
		}
		fprintf(f, "%u,%u,", p->n, p->k);
		double nums[] = { (double)p->k / p->n, lo, hi, p->median_s };
		for (size_t c = 0; c < 4; c++) {
			sim_csv_num(f, nums[c]);
			fputc(',', f);
		}
		fprintf(f, "%u\n", p->stopped);
	}
	return sim_atomic_close(&a);
}

/* Splits one CSV line (RFC 4180, no line breaks inside fields) into at
 * most max fields, unquoted in place.  The number of fields, or -1. */
static int split(char *line, char **field, int max)
{
	int n = 0;
	char *r = line, *w = line;
	for (;;) {
		if (n == max)
			return -1;
		field[n++] = w;
		if (*r == '"') {
			for (r++;; r++) {
				if (!*r)
					return -1;
				if (*r == '"' && r[1] != '"')
					break;
				*w++ = *r;
				r += *r == '"';
			}
			r++;
		} else {
			while (*r && *r != ',')
				*w++ = *r++;
		}
		if (!*r) {
			*w = 0;
			return n;
		}
		if (*r != ',')
			return -1;
		*w++ = 0;
		r++;
	}
}

static bool whole_field(const char *s, unsigned *out)
{
	uint64_t v;
	if (sim_parse_count(s, &v) || v > 100000)
		return false;
	*out = (unsigned)v;
	return true;
}

/* Reads one data row into p: false when some field does not parse. */
static bool read_row(const struct bnd *b, char **field, int n, struct bnd_point *p)
{
	int nk = (int)b->nkeys;
	*p = (struct bnd_point){ .median_s = NAN, .reused = true };
	if (n != nk + 7)
		return false;
	for (int k = 0; k < nk; k++) {
		if (strlen(field[k]) >= BND_VALUE_LEN)
			return false;
		char again[BND_VALUE_LEN];
		p->x[k] = bnd_value_set(&b->key[k], strtod(field[k], NULL), again);
		if (strcmp(again, field[k]))
			return false;	/* not a value this search writes */
		snprintf(p->value[k], BND_VALUE_LEN, "%s", field[k]);
	}
	if (!whole_field(field[nk], &p->n) || !whole_field(field[nk + 1], &p->k) ||
	    !whole_field(field[nk + 6], &p->stopped) || !p->n || p->k > p->n)
		return false;
	if (field[nk + 5][0] && sim_parse_number(field[nk + 5], &p->median_s))
		return false;
	return true;
}

int bnd_points_read(struct bnd *b, const char *dir)
{
	char path[4200], line[2048], *field[16];
	snprintf(path, sizeof path, "%s/boundary.csv", dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	bool ok = fgets(line, sizeof line, f) != NULL;
	line[strcspn(line, "\r\n")] = 0;
	int n = ok ? split(line, field, 16) : -1;
	ok = n == (int)b->nkeys + 7;
	for (int i = 0; ok && i < n; i++)
		ok = !strcmp(field[i], i < (int)b->nkeys ? b->key[i].name : columns[i - b->nkeys]);
	while (ok && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = 0;
		struct bnd_point p;
		n = split(line, field, 16);
		if (!read_row(b, field, n, &p)) {
			ok = false;
			break;
		}
		struct bnd_point *more = realloc(b->old, (b->nold + 1) * sizeof *more);
		if (!more) {
			ok = false;
			break;
		}
		b->old = more;
		b->old[b->nold++] = p;
	}
	fclose(f);
	if (ok)
		return 0;
	fprintf(stderr, "sim: note: %s is not as this search writes it: its points are not reused\n",
		path);
	free(b->old);
	b->old = NULL;
	b->nold = 0;
	return -1;
}
