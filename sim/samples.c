/* samples.c - reading an empirical distribution's file; see samples.h. */
#include "sim/samples.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/units.h"

void sim_excerpt(char *dst, const char *s, size_t len)
{
	size_t n = len < SIM_EXCERPT_CHARS ? len : SIM_EXCERPT_CHARS;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch >= 0x20 && ch < 0x7f && ch != '\\' && ch != '\'')
			*dst++ = (char)ch;
		else
			dst += sprintf(dst, "\\x%02X", ch);
	}
	strcpy(dst, len > n ? "..." : "");
}

static const char *file_type(mode_t m)
{
	return S_ISDIR(m) ? "a folder" : S_ISCHR(m) ? "a character device" :
	       S_ISBLK(m) ? "a block device" : S_ISFIFO(m) ? "a FIFO" :
	       S_ISSOCK(m) ? "a socket" : "not a regular file";
}

void sim_data_path(const struct sim_cfg *c, const char *name, char *path, size_t size)
{
	if (name[0] == '/' || !c->base_dir || !*c->base_dir)
		snprintf(path, size, "%s", name);
	else
		snprintf(path, size, "%s/%s", c->base_dir, name);
}

/* Never blocks on a FIFO, and checks the file it opened, not the name. */
FILE *sim_data_open(struct sim_cfg *c, const struct sim_node *v, const char *path,
		    const char *what)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		sim_cfg_error(c, v, "cannot open %s file '%s': %s", what, path, strerror(errno));
		return NULL;
	}
	struct stat st;
	const char *why = NULL;
	if (fstat(fd, &st) < 0)
		why = strerror(errno);
	else if (!S_ISREG(st.st_mode))
		why = file_type(st.st_mode);
	if (why) {
		sim_cfg_error(c, v, "%s file '%s' is not a regular file (%s)", what, path, why);
		close(fd);
		return NULL;
	}
	if (st.st_size > SIM_SAMPLES_MAX_BYTES) {
		sim_cfg_error(c, v, "%s file '%s' is too large (%lld bytes; at most %d)", what, path,
			      (long long)st.st_size, SIM_SAMPLES_MAX_BYTES);
		close(fd);
		return NULL;
	}
	FILE *f = fdopen(fd, "r");
	if (!f) {
		sim_cfg_error(c, v, "cannot read %s file '%s': %s", what, path, strerror(errno));
		close(fd);
	}
	return f;
}

struct reading {
	double *xs;
	size_t n, cap;
	double sum, sum2;
	int bad;
};

/* One line: a sample in its first column, a comment, a blank, or a header
 * (a first line that is not a number).  -1 when reading must stop. */
static int read_line(struct sim_cfg *c, const char *path, long lineno, char *line, size_t len,
		     struct reading *r)
{
	char shown[SIM_EXCERPT_CHARS * 4 + 4];
	if (len > SIM_SAMPLES_MAX_LINE) {
		sim_excerpt(shown, line, len);
		sim_diag_error(c->diag, path, (int)lineno, 1,
			       "line longer than %d bytes: '%s'", SIM_SAMPLES_MAX_LINE, shown);
		return -1;
	}
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	line[len] = 0;
	char *s = line + strspn(line, " \t");
	size_t n = strcspn(s, ",");	/* first column; a NUL stops it too */
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	bool nul = memchr(line, 0, len) != NULL;
	if ((!n || *s == '#') && !nul)
		return 0;
	s[n] = 0;
	double x;
	const char *why = nul ? "a NUL byte in the line" : sim_parse_duration(s, &x);
	if (why) {
		if (lineno == 1)
			return 0;	/* a header row */
		if (nul)
			sim_excerpt(shown, line, len);
		else
			sim_excerpt(shown, s, n);
		sim_diag_error(c->diag, path, (int)lineno, 1, "bad sample '%s' (%s)", shown, why);
		return ++r->bad >= 5 ? -1 : 0;
	}
	if (r->n == SIM_SAMPLES_MAX_COUNT) {
		sim_diag_error(c->diag, path, (int)lineno, 1, "more than %d samples",
			       SIM_SAMPLES_MAX_COUNT);
		r->bad++;
		return -1;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 1024;
		double *nx = realloc(r->xs, cap * sizeof *nx);
		if (!nx) {
			sim_diag_error(c->diag, path, (int)lineno, 1, "out of memory");
			r->bad++;
			return -1;
		}
		r->xs = nx;
		r->cap = cap;
	}
	r->xs[r->n++] = x;
	r->sum += x;
	r->sum2 += x * x;
	return 0;
}

int sim_samples_load(struct sim_cfg *c, const struct sim_node *v, struct sim_dist *d)
{
	const char *name = sim_cfg_scalar(c, v, "file", "a file name");
	if (!name)
		return -1;
	char path[4096];
	sim_data_path(c, name, path, sizeof path);
	FILE *f = sim_data_open(c, v, path, "samples");
	if (!f)
		return -1;
	struct reading r = { 0 };
	char *line = NULL;
	size_t size = 0;
	ssize_t got;
	for (long lineno = 1; (got = getline(&line, &size, f)) >= 0; lineno++)
		if (read_line(c, path, lineno, line, (size_t)got, &r) < 0) {
			r.bad += !r.bad;
			break;
		}
	if (ferror(f) && !r.bad) {
		sim_cfg_error(c, v, "cannot read samples file '%s': %s", path, strerror(errno));
		r.bad = 1;
	}
	free(line);
	fclose(f);
	if (!r.bad && !r.n)
		sim_cfg_error(c, v, "samples file '%s' has no samples", path);
	double *kept = r.bad || !r.n ? NULL : sim_arena_alloc(c->arena, r.n * sizeof *kept);
	if (!kept) {
		if (!r.bad && r.n)
			sim_cfg_error(c, v, "out of memory reading '%s'", path);
		free(r.xs);
		return -1;
	}
	memcpy(kept, r.xs, r.n * sizeof *kept);
	free(r.xs);
	d->samples = kept;
	d->n = r.n;
	d->mean = r.sum / (double)r.n;
	d->var = fmax(0, r.sum2 / (double)r.n - d->mean * d->mean);
	return 0;
}
