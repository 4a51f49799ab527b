/* strcount, the multiset of item ids: counts survive growth past the
 * size it was made for, keys are compared by their bytes (a prefix is
 * its own key), removal counts down, and what was never added is 0. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../archive/strcount.h"

static void test_counts_through_growth(void **state)
{
	strcount *m = strcount_new(2);
	char key[32];

	(void)state;
	assert_non_null(m);
	for (int i = 0; i < 5000; i++) {
		int len = snprintf(key, sizeof(key), "p-%08x", (unsigned)i * 2654435761u);

		assert_int_equal(strcount_add(m, key, (size_t)len, 1), 0);
		if (i % 3 == 0)
			assert_int_equal(strcount_add(m, key, (size_t)len, 1), 0);
	}
	for (int i = 0; i < 5000; i++) {
		int len = snprintf(key, sizeof(key), "p-%08x", (unsigned)i * 2654435761u);

		assert_int_equal(strcount_get(m, key, (size_t)len), i % 3 == 0 ? 2 : 1);
	}
	assert_int_equal(strcount_get(m, "p-", 2), 0);
	strcount_free(m);
}

static void test_prefix_and_removal(void **state)
{
	strcount *m = strcount_new(4);

	(void)state;
	assert_non_null(m);
	assert_int_equal(strcount_add(m, "p-12345678-n2", 10, 1), 0);
	assert_int_equal(strcount_get(m, "p-12345678", 10), 1);
	assert_int_equal(strcount_get(m, "p-12345678-n2", 13), 0);
	assert_int_equal(strcount_add(m, "p-12345678", 10, -1), 0);
	assert_int_equal(strcount_get(m, "p-12345678", 10), 0);
	strcount_free(m);
	strcount_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_counts_through_growth),
	    cmocka_unit_test(test_prefix_and_removal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
