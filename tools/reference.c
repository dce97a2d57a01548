/* reference.c - rewrites the generated metric tables of a Markdown
 * reference (docs/scenario.md) from the models' descriptions:
 *     reference docs/scenario.md
 * Run through `ninja -C build reference`.  Exit 0 when written or already
 * up to date, 1 when the file cannot be read or written or its regions are
 * malformed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/reference.h"
#include "sim/registry.h"

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0, got;
	do {
		if (len + 4096 + 1 > cap) {
			cap = 2 * cap + 4096 + 1;
			char *b = realloc(buf, cap);
			if (!b) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = b;
		}
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
	} while (got > 0);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

static int write_all(const char *path, const char *text)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return -1;
	size_t len = strlen(text);
	int bad = fwrite(text, 1, len, f) != len;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) != 0) {
		remove(tmp);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE.md\n", argv[0]);
		return 2;
	}
	const char *path = argv[1];
	char *text = read_all(path);
	if (!text) {
		perror(path);
		return 1;
	}
	char err[256];
	char *out = sim_reference_update(text, sim_registry_kind, err, sizeof err);
	if (!out) {
		fprintf(stderr, "%s: error: %s\n", path, err);
		free(text);
		return 1;
	}
	int rc = 0;
	if (!strcmp(out, text)) {
		printf("%s: up to date\n", path);
	} else if (write_all(path, out) < 0) {
		perror(path);
		rc = 1;
	} else {
		printf("%s: metric tables rewritten\n", path);
	}
	free(out);
	free(text);
	return rc;
}
