/* plotsutil.c - see plotsutil.h. */
#include "tests/plots/plotsutil.h"

#include <stdlib.h>

void pu_setup(char *tmp, const char *prefix)
{
	th_tmpdir(tmp, prefix);
	th_sim_path = NULL;
}

void pu_run(const char *const *args)
{
	char *err;
	int rc = th_sim(args, NULL, &err);
	cr_assert_eq(rc, 0, "sim failed (%d): %s", rc, err);
	free(err);
}
