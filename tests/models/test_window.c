/* test_window.c - two counts over a sliding window (models/window.c) */
#include <criterion/criterion.h>

#include "models/window.h"

Test(mdl_window, sums_cover_the_last_slices_only)
{
	struct mdl_window w = { 0 };
	mdl_window_init(&w, 2.5);	/* slices of 0.25 s */
	double a, b;
	mdl_window_add(&w, 0.1, 3, 0.5);	/* slice 0 */
	mdl_window_add(&w, 0.3, 1, 0);		/* slice 1 */
	mdl_window_add(&w, 2.4, 0, 7.25);	/* slice 9 */
	mdl_window_sums(&w, 2.49, &a, &b);
	cr_assert_float_eq(a, 4, 1e-12);
	cr_assert_float_eq(b, 7.75, 1e-12);
	/* slice 10 reuses the slot of slice 0: its counts are gone */
	mdl_window_sums(&w, 2.5, &a, &b);
	cr_assert_float_eq(a, 1, 1e-12, "a = %g", a);
	cr_assert_float_eq(b, 7.25, 1e-12, "b = %g", b);
	/* a jump past the whole window forgets everything */
	mdl_window_add(&w, 40.1, 2, 0);
	mdl_window_sums(&w, 40.2, &a, &b);
	cr_assert_float_eq(a, 2, 1e-12, "a = %g", a);
	cr_assert_float_eq(b, 0, 1e-12, "b = %g", b);
}

Test(mdl_window, a_skipped_slice_counts_zero)
{
	struct mdl_window w = { 0 };
	mdl_window_init(&w, 10);	/* slices of 1 s */
	double a, b;
	for (int s = 0; s < 10; s++)
		mdl_window_add(&w, s + 0.5, 1, 2);
	/* from slice 9 to 13: slices 10..13 replace 0..3 with nothing */
	mdl_window_sums(&w, 13.2, &a, &b);
	cr_assert_float_eq(a, 6, 1e-12, "a = %g", a);
	cr_assert_float_eq(b, 12, 1e-12, "b = %g", b);
}
