/* ratefile.c - reading rate series and arrival traces; see ratefile.h. */
#include "sim/ratefile.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/samples.h"
#include "sim/units.h"

#define MAX_COLUMNS 2

/* How the first row wrote its time; every row must write it the same way. */
enum time_kind { T_UNSET, T_RELATIVE, T_RFC3339, T_EPOCH_S, T_EPOCH_MS };

/* A file being read: its rows so far (malloc'd) and where errors go. */
struct reader {
	struct sim_cfg *c;
	const struct sim_node *at;	/* the scenario's key: errors stand here */
	const char *path, *what;	/* what: "rate" or "trace" */
	size_t ncols, max_rows;
	long lineno;
	bool header_seen;
	enum time_kind kind;
	double origin;			/* a timestamp file's first time */
	double *t, *r;
	size_t n, cap;
};

/* "rate file 'PATH', line N: what 'EXCERPT' (why)" at the scenario's key;
 * field NULL: no excerpt, why NULL: no reason. */
static void row_error(struct reader *rd, const char *what, const char *field, size_t len,
		      const char *why)
{
	char shown[SIM_EXCERPT_CHARS * 4 + 4] = "";
	if (field)
		sim_excerpt(shown, field, len);
	sim_cfg_error(rd->c, rd->at, "%s file '%s', line %ld: %s%s%s%s%s%s%s", rd->what, rd->path,
		      rd->lineno, what, field ? " '" : "", shown, field ? "'" : "",
		      why ? " (" : "", why ? why : "", why ? ")" : "");
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil). */
static long days_from_civil(long y, long m, long d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* An RFC 3339 time ("2026-11-30T12:00:00.5Z", a space for the T, an
 * offset such as +02:00; no zone: UTC) as epoch seconds; -1 if s is not. */
static int parse_rfc3339(const char *s, double *out)
{
	int y, mo, d, h, mi, n = 0;
	double sec;
	if (sscanf(s, "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%n", &y, &mo, &d, &h, &mi, &n) != 5 || !n)
		return -1;
	const char *p = s + n;
	char *end;
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return -1;
	sec = strtod(p, &end);
	if (end == p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || !(sec < 61))
		return -1;
	double off = 0;
	if (*end == 'Z' || *end == 'z') {
		end++;
	} else if (*end == '+' || *end == '-') {
		int oh, om, k = 0;
		if (sscanf(end + 1, "%2d:%2d%n", &oh, &om, &k) != 2 || k != 5)
			return -1;
		off = (*end == '-' ? -1 : 1) * (oh * 3600.0 + om * 60.0);
		end += 1 + k;
	}
	if (*end)
		return -1;
	*out = (double)days_from_civil(y, mo, d) * 86400 + h * 3600.0 + mi * 60.0 + sec - off;
	return 0;
}

/* The time in s, in seconds from the start of the file's series; the
 * first row fixes how times are written.  NULL, or why s is not a time. */
static const char *parse_time(struct reader *rd, const char *s, double *out)
{
	double x;
	enum time_kind k;
	if (parse_rfc3339(s, &x) == 0)
		k = T_RFC3339;
	else if (sim_parse_duration(s, &x))
		return "expected a time such as 90s, 2m, bare seconds or 2026-11-30T12:00:00Z";
	else if (rd->kind != T_UNSET)
		k = rd->kind == T_RFC3339 ? T_RELATIVE : rd->kind;
	else
		k = x >= 1e11 && !sim_parse_number(s, &x) ? T_EPOCH_MS :
		    x >= 1e9 && !sim_parse_number(s, &x) ? T_EPOCH_S : T_RELATIVE;
	if (rd->kind == T_UNSET) {
		rd->kind = k;
		rd->origin = k == T_RELATIVE ? 0 : k == T_EPOCH_MS ? x / 1000 : x;
	} else if ((rd->kind == T_RFC3339) != (k == T_RFC3339)) {
		return rd->kind == T_RFC3339 ? "the first row has an RFC 3339 time; so must every row" :
		       "the first row has no RFC 3339 time; neither may this one";
	}
	*out = (rd->kind == T_EPOCH_MS ? x / 1000 : x) - rd->origin;
	return NULL;
}

/* Splits line at commas into fields, trimmed of blanks and one pair of
 * double quotes; returns their number (up to max + 1: too many). */
static size_t split(char *line, char **fields, size_t max)
{
	size_t n = 0;
	for (char *s = line;; s++) {
		char *end = s + strcspn(s, ",");
		bool last = !*end;
		*end = 0;
		s += strspn(s, " \t");
		size_t len = strlen(s);
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			s[--len] = 0;
		if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
			s[len - 1] = 0;
			s++;
		}
		if (n <= max)
			fields[n++] = s;
		if (last)
			return n;
		s = end;
	}
}

static int push(struct reader *rd, double t, double r)
{
	if (rd->n == rd->max_rows) {
		sim_cfg_error(rd->c, rd->at, "%s file '%s', line %ld: more than %zu rows", rd->what,
			      rd->path, rd->lineno, rd->max_rows);
		return -1;
	}
	if (rd->n == rd->cap) {
		size_t cap = rd->cap ? 2 * rd->cap : 256;
		double *nt = realloc(rd->t, cap * sizeof *nt);
		if (nt)
			rd->t = nt;
		double *nr = nt && rd->ncols > 1 ? realloc(rd->r, cap * sizeof *nr) : NULL;
		if (nr)
			rd->r = nr;
		if (!nt || (rd->ncols > 1 && !nr)) {
			sim_cfg_error(rd->c, rd->at, "out of memory reading '%s'", rd->path);
			return -1;
		}
		rd->cap = cap;
	}
	rd->t[rd->n] = t;
	if (rd->ncols > 1)
		rd->r[rd->n] = r;
	rd->n++;
	return 0;
}

/* One row: time (and rate); a first row that is no time is a header. */
static int read_row(struct reader *rd, char *line)
{
	char *f[MAX_COLUMNS + 1];
	size_t nf = split(line, f, rd->ncols);
	double t, r = 0;
	const char *why = parse_time(rd, f[0], &t);
	if (why && !rd->header_seen && rd->n == 0) {
		rd->header_seen = true;	/* "Time","likes" */
		return 0;
	}
	rd->header_seen = true;
	if (why) {
		row_error(rd, "bad time", f[0], strlen(f[0]), why);
		return -1;
	}
	if (nf != rd->ncols) {
		char msg[96];
		snprintf(msg, sizeof msg, "expected %zu column%s (%s), got %s%zu",
			 rd->ncols, rd->ncols > 1 ? "s" : "",
			 rd->ncols > 1 ? "time, rate" : "time", nf > rd->ncols ? "more than " : "",
			 nf > rd->ncols ? rd->ncols : nf);
		row_error(rd, msg, NULL, 0, NULL);
		return -1;
	}
	if (rd->ncols > 1 && (why = sim_parse_rate(f[1], &r))) {
		row_error(rd, "bad rate", f[1], strlen(f[1]), why);
		return -1;
	}
	if (rd->n && (rd->ncols > 1 ? !(t > rd->t[rd->n - 1]) : t < rd->t[rd->n - 1])) {
		char prev[64];
		sim_format_duration(prev, sizeof prev, rd->t[rd->n - 1]);
		char why2[128];
		snprintf(why2, sizeof why2, "not %s the previous row's %s; times must %s",
			 rd->ncols > 1 ? "after" : "at or after", prev,
			 rd->ncols > 1 ? "increase" : "not decrease");
		row_error(rd, "time", f[0], strlen(f[0]), why2);
		return -1;
	}
	return push(rd, t, r);
}

/* Reads the whole file into rd: 0, or -1 after a diagnostic. */
static int read_file(struct reader *rd)
{
	FILE *f = sim_data_open(rd->c, rd->at, rd->path, rd->what);
	if (!f)
		return -1;
	char *line = NULL;
	size_t size = 0;
	ssize_t got;
	int bad = 0;
	for (rd->lineno = 1; !bad && (got = getline(&line, &size, f)) >= 0; rd->lineno++) {
		size_t len = (size_t)got;
		if (len > SIM_SAMPLES_MAX_LINE) {
			char msg[64];
			snprintf(msg, sizeof msg, "line longer than %d bytes:", SIM_SAMPLES_MAX_LINE);
			row_error(rd, msg, line, len, NULL);
			bad = -1;
			break;
		}
		if (memchr(line, 0, len)) {
			row_error(rd, "a NUL byte in the line", line, len, NULL);
			bad = -1;
			break;
		}
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = 0;
		const char *s = line + strspn(line, " \t");
		if (*s && *s != '#')
			bad = read_row(rd, line);
	}
	if (!bad && ferror(f)) {
		sim_cfg_error(rd->c, rd->at, "cannot read %s file '%s': %s", rd->what, rd->path,
			      strerror(errno));
		bad = -1;
	}
	free(line);
	fclose(f);
	if (!bad && !rd->n) {
		sim_cfg_error(rd->c, rd->at, "%s file '%s' has no rows", rd->what, rd->path);
		bad = -1;
	}
	return bad;
}

/* The optional shift (may be negative: "-30s") of map v into *out. */
static int read_shift(struct sim_cfg *c, const struct sim_node *v, double *out)
{
	const struct sim_node *s = sim_node_get(v, "shift");
	*out = 0;
	if (!s)
		return 0;
	const char *text = sim_cfg_scalar(c, s, "shift", "a duration such as 30s or -1m");
	if (!text)
		return -1;
	bool neg = text[0] == '-';
	const char *why = sim_parse_duration(text + neg, out);
	if (why) {
		sim_cfg_error(c, s, "bad 'shift' in %s '%s': %s", c->kind, c->name, why);
		return -1;
	}
	if (neg)
		*out = -*out;
	return 0;
}

/* Checks map v's keys and opens a reader on the file named at v[key]. */
static int start(struct sim_cfg *c, const struct sim_node *v, const char *key,
		 const char *const *keys, struct reader *rd, char *path, size_t size)
{
	char what[160];
	snprintf(what, sizeof what, "the %s of %s '%s'", rd->what, c->kind, c->name);
	if (sim_cfg_check_keys(c, v, keys, what) < 0)
		return -1;
	const struct sim_node *fv = sim_cfg_value(c, v, key, SIM_CFG_REQUIRED);
	const char *name = fv ? sim_cfg_scalar(c, fv, key, "a file name") : NULL;
	if (!name)
		return -1;
	sim_data_path(c, name, path, size);
	rd->c = c;
	rd->at = fv;
	rd->path = path;
	return 0;
}

static const char *const rate_keys[] = { "file", "scale", "shift", NULL };
static const char *const trace_keys[] = { "trace", "shift", NULL };

int sim_ratefile_load(struct sim_cfg *c, const struct sim_node *v, struct sim_profile *out)
{
	char path[4096];
	struct reader rd = { .what = "rate", .ncols = 2, .max_rows = SIM_RATEFILE_MAX_ROWS };
	double scale = 1, shift;
	int bad = start(c, v, "file", rate_keys, &rd, path, sizeof path);
	if (sim_node_get(v, "scale") &&
	    sim_cfg_number(c, v, "scale", &scale, 0, 1e12, 0) < 0)
		bad = -1;
	if (read_shift(c, v, &shift) < 0)
		bad = -1;
	if (!bad)
		bad = read_file(&rd);
	if (!bad) {
		for (size_t i = 0; i < rd.n; i++) {
			rd.t[i] += shift;
			rd.r[i] *= scale;
		}
		bad = sim_profile_points(c, rd.at, rd.t, rd.r, rd.n, out);
	}
	free(rd.t);
	free(rd.r);
	return bad;
}

int sim_trace_load(struct sim_cfg *c, const struct sim_node *v, double **times, size_t *n)
{
	char path[4096];
	struct reader rd = { .what = "trace", .ncols = 1, .max_rows = SIM_TRACE_MAX_ROWS };
	double shift;
	int bad = start(c, v, "trace", trace_keys, &rd, path, sizeof path);
	if (read_shift(c, v, &shift) < 0)
		bad = -1;
	if (!bad)
		bad = read_file(&rd);
	size_t skip = 0;
	while (!bad && skip < rd.n && rd.t[skip] + shift < 0)
		skip++;
	double *kept = bad || skip == rd.n ? NULL :
		       sim_arena_alloc(c->arena, (rd.n - skip) * sizeof *kept);
	if (!bad && !kept)
		sim_cfg_error(c, rd.at, skip == rd.n ? "every time of trace file '%s' falls before the run once shifted" :
			      "out of memory reading '%s'", path);
	for (size_t i = skip; kept && i < rd.n; i++)
		kept[i - skip] = rd.t[i] + shift;
	free(rd.t);
	*times = kept;
	*n = kept ? rd.n - skip : 0;
	return kept ? 0 : -1;
}
