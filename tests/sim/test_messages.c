/* test_messages.c - the command line's messages: suggestions for
 * misspelt commands, options that never swallow the next option, and
 * `run` refusing a file with a broken variant, as `check` does. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/helpers.h"

static void expect_usage_error(const char *const *args, const char *want)
{
	char *out, *err;
	int rc = th_sim(args, &out, &err);
	cr_expect_eq(rc, 2, "exit %d; stderr:\n%s", rc, err);
	cr_expect(strstr(err, want), "expected '%s' in:\n%s", want, err);
	free(out);
	free(err);
}

Test(sim_messages, a_misspelt_flag_command_is_suggested)
{
	const char *args[] = { "--verison", NULL };
	expect_usage_error(args, "sim: unknown command '--verison' (did you mean '--version'?)");
}

Test(sim_messages, an_option_never_takes_the_next_option_as_its_value)
{
	const char *args[] = { "run", "scenarios/mm1.yaml", "--variant", "--out", "x", NULL };
	expect_usage_error(args, "sim: option '--variant' needs a value, got the option '--out'");
	const char *args2[] = { "sweep", "scenarios/mm1.yaml", "--vary", "--reps", "2", NULL };
	expect_usage_error(args2, "sim: option '--vary' needs a value, got the option '--reps'");
}

Test(sim_messages, run_checks_every_variant_first, .timeout = 30)
{
	char dir[4096], out[4200];
	th_tmpdir(dir, "messages");
	snprintf(out, sizeof out, "%s/out", dir);
	const char *args[] = { "run", "tests/scenarios/bad/variant-edits.yaml", "--no-plots",
			       "--quiet", "--out", out, NULL };
	char *so, *err;
	int rc = th_sim(args, &so, &err);
	cr_expect_eq(rc, 2, "exit %d; stderr:\n%s", rc, err);
	cr_expect(strstr(err, "note: in variant 'typo'"), "%s", err);
	cr_expect(access(out, F_OK) != 0, "the baseline ran although a variant is broken");
	free(so);
	free(err);
	th_rmtree(dir);
}
