/* csvread.c - see csvread.h. */
#include "tests/csvread.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* One field from *p into a malloc'd string; -1 when malformed. */
static int field(const char **p, char **out)
{
	const char *s = *p;
	size_t cap = strlen(s) + 1, n = 0;
	char *buf = malloc(cap);
	if (!buf)
		return -1;
	if (*s == '"') {
		for (s++;; s++) {
			if (!*s)
				goto bad;	/* never closed */
			if (*s == '"' && s[1] == '"')
				buf[n++] = *s++;
			else if (*s == '"')
				break;
			else
				buf[n++] = *s;
		}
		s++;
		if (*s && *s != ',' && *s != '\n' && *s != '\r')
			goto bad;	/* text after the closing quote */
	} else {
		for (; *s && *s != ',' && *s != '\n' && *s != '\r'; s++) {
			if (*s == '"')
				goto bad;
			buf[n++] = *s;
		}
	}
	buf[n] = 0;
	*out = buf;
	*p = s;
	return 0;
bad:
	free(buf);
	return -1;
}

int th_csv_record(const char **p, char **fields, int max)
{
	if (!**p)
		return 0;
	int n = 0;
	for (;;) {
		char *f;
		if (field(p, &f) < 0) {
			th_csv_free(fields, n);
			return -1;
		}
		if (n == max) {
			free(f);
			th_csv_free(fields, n);
			return -1;
		}
		fields[n++] = f;
		if (**p == ',') {
			(*p)++;
			continue;
		}
		if (**p == '\r')
			(*p)++;
		if (**p == '\n')
			(*p)++;
		return n;
	}
}

void th_csv_free(char **fields, int n)
{
	for (int i = 0; i < n; i++)
		free(fields[i]);
}

int th_csv_read(const char *text, char ***rows, int *widths, int max_rows, int max_fields)
{
	int n = 0;
	const char *p = text;
	while (n < max_rows) {
		rows[n] = calloc((size_t)max_fields, sizeof *rows[n]);
		int w = rows[n] ? th_csv_record(&p, rows[n], max_fields) : -1;
		if (w <= 0) {
			free(rows[n]);
			if (w < 0) {
				th_csv_free_all(rows, widths, n);
				return -1;
			}
			break;
		}
		widths[n++] = w;
	}
	return n;
}

void th_csv_free_all(char ***rows, const int *widths, int n)
{
	for (int i = 0; i < n; i++) {
		th_csv_free(rows[i], widths[i]);
		free(rows[i]);
	}
}
