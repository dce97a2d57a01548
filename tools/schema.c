/* schema.c - writes the JSON Schema of scenario files (sim/schema.h):
 *     schema docs/scenario.schema.json
 * Run through `ninja -C build schema`.  Exit 0 when written, 1 when it
 * cannot be built or written. */
#include <stdio.h>

#include "sim/json.h"
#include "sim/registry.h"
#include "sim/schema.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE.json\n", argv[0]);
		return 2;
	}
	const char *path = argv[1];
	struct sim_json *s = sim_schema_build(sim_registry_kind);
	if (!s) {
		fprintf(stderr, "%s: error: out of memory\n", path);
		return 1;
	}
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	int bad = !f;
	if (f) {
		sim_json_write(s, f);
		bad = ferror(f) != 0;
		bad |= fclose(f) != 0;
		bad = bad || rename(tmp, path) != 0;
	}
	sim_json_free(s);
	if (bad) {
		perror(path);
		remove(tmp);
		return 1;
	}
	printf("%s: written\n", path);
	return 0;
}
