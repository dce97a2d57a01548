/* samedir.c - see samedir.h. */
#include "tests/sim/samedir.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/helpers.h"

void th_drop_lines(char *text, const char *needle)
{
	char *w;
	while ((w = strstr(text, needle))) {
		char *bol = w;
		while (bol > text && bol[-1] != '\n')
			bol--;
		char *eol = strchr(w, '\n');
		eol = eol ? eol + 1 : w + strlen(w);
		memmove(bol, eol, strlen(eol) + 1);
	}
}

static int names(const char *dir, char ***out)
{
	DIR *d = opendir(dir);
	cr_assert_not_null(d, "cannot open %s", dir);
	char **v = NULL;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		v = realloc(v, (size_t)(n + 1) * sizeof *v);
		v[n++] = strdup(e->d_name);
	}
	closedir(d);
	for (int i = 1; i < n; i++)	/* sorted, so the lists compare */
		for (int j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			char *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	*out = v;
	return n;
}

int th_same_dir(const char *a, const char *b)
{
	char **na, **nb;
	int n = names(a, &na), m = names(b, &nb), files = 0;
	cr_assert_eq(n, m, "%s holds %d entries, %s %d", a, n, b, m);
	for (int i = 0; i < n; i++) {
		cr_assert_str_eq(na[i], nb[i], "in %s and %s", a, b);
		char pa[4096], pb[4096];
		snprintf(pa, sizeof pa, "%s/%s", a, na[i]);
		snprintf(pb, sizeof pb, "%s/%s", b, nb[i]);
		struct stat sa;
		cr_assert_eq(stat(pa, &sa), 0);
		if (S_ISDIR(sa.st_mode)) {
			files += th_same_dir(pa, pb);
		} else {
			size_t la, lb;
			char *ta = th_read(pa, &la), *tb = th_read(pb, &lb);
			cr_assert(ta && tb, "cannot read %s or %s", pa, pb);
			if (!strcmp(na[i], "summary.json")) {
				th_drop_lines(ta, "\"wall_s\"");
				th_drop_lines(tb, "\"wall_s\"");
				la = strlen(ta);
				lb = strlen(tb);
			}
			cr_assert(la == lb && !memcmp(ta, tb, la), "%s and %s differ", pa, pb);
			free(ta);
			free(tb);
			files++;
		}
		free(na[i]);
		free(nb[i]);
	}
	free(na);
	free(nb);
	return files;
}

void th_unpath(char *text, const char *dir)
{
	size_t n = strlen(dir);
	cr_assert_geq(n, 3);
	char *at;
	while ((at = strstr(text, dir))) {
		memcpy(at, "OUT", 3);
		memmove(at + 3, at + n, strlen(at + n) + 1);
	}
}

void th_same_outputs(const char *a, char *oa, const char *b, char *ob, int min_files)
{
	th_unpath(oa, a);
	th_unpath(ob, b);
	th_drop_lines(oa, " events/s)");	/* run's line of speed */
	th_drop_lines(ob, " events/s)");
	cr_expect_str_eq(ob, oa, "what %s said differs from what %s said", b, a);
	int files = th_same_dir(a, b);
	cr_expect_geq(files, min_files, "only %d files compared", files);
	free(oa);
	free(ob);
	th_rmtree(a);
	th_rmtree(b);
}
