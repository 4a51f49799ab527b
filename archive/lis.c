/* Patience sorting: pile k's top is the element that ends the best
 * increasing run of length k + 1 found so far; each element goes on the
 * first pile whose top is not below it, and remembers the top of the
 * pile before, its predecessor in a run. The last pile's top, followed
 * back, is a longest run. */
#include <stdlib.h>

#include "lis.h"

int lis_mark(const size_t *v, size_t n, unsigned char *keep)
{
	size_t *top = malloc((n + 1) * sizeof(*top)), *from = malloc((n + 1) * sizeof(*from));
	size_t len = 0;

	if (!top || !from) {
		free(top);
		free(from);
		return -1;
	}
	for (size_t k = 0; k < n; k++) {
		size_t lo = 0, hi = len;

		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (v[top[mid]] < v[k])
				lo = mid + 1;
			else
				hi = mid;
		}
		from[k] = lo > 0 ? top[lo - 1] : k;
		top[lo] = k;
		len += lo == len;
	}
	if (len) {
		for (size_t k = top[len - 1];; k = from[k]) {
			keep[k] = 1;
			if (from[k] == k)
				break;
		}
	}
	free(top);
	free(from);
	return 0;
}
