/* Sorting by value, with the order inlined: DEFINE_SORT(name, T, LESS)
 * defines static void name(T *v, size_t n), which sorts v by LESS(x, y)
 * (a strict weak order, as an expression on two elements). For arrays of
 * numbers or small records sorted many times, where qsort's call of a
 * comparison function per step is most of the time. Not stable.
 *
 * Quicksort on the median of the first, middle and last elements,
 * insertion sort below SORT_SMALL elements, and heapsort where the
 * partitions go deeper than twice log2(n), so no input makes it
 * quadratic. name##_depth(v, n, 0) is the heapsort alone (for tests). */
#ifndef REDLINE_SORT_H
#define REDLINE_SORT_H

#include <stddef.h>

#define NUM_LESS(x, y) ((x) < (y))
#define SORT_SMALL     16
#define DEFINE_SORT(name, T, LESS)                                                                 \
	static void name##_sift(T *v, size_t at, size_t n)                                         \
	{                                                                                          \
		for (size_t c; (c = 2 * at + 1) < n; at = c) {                                     \
			if (c + 1 < n && LESS(v[c], v[c + 1]))                                     \
				c++;                                                               \
			if (!LESS(v[at], v[c]))                                                    \
				return;                                                            \
			T t = v[at];                                                               \
			v[at] = v[c];                                                              \
			v[c] = t;                                                                  \
		}                                                                                  \
	}                                                                                          \
	static void name##_heap(T *v, size_t n)                                                    \
	{                                                                                          \
		for (size_t i = n / 2; i-- > 0;)                                                   \
			name##_sift(v, i, n);                                                      \
		while (n-- > 1) {                                                                  \
			T t = v[0];                                                                \
			v[0] = v[n];                                                               \
			v[n] = t;                                                                  \
			name##_sift(v, 0, n);                                                      \
		}                                                                                  \
	}                                                                                          \
	static void name##_depth(T *v, size_t n, int depth)                                        \
	{                                                                                          \
		while (n > SORT_SMALL) {                                                           \
			size_t i = 0, j = n - 1, m = n / 2;                                        \
			T p;                                                                       \
                                                                                                   \
			if (depth-- == 0) {                                                        \
				name##_heap(v, n);                                                 \
				return;                                                            \
			}                                                                          \
			/* the median of the first, middle and last, as the pivot */               \
			if (LESS(v[m], v[0]))                                                      \
				p = v[m], v[m] = v[0], v[0] = p;                                   \
			if (LESS(v[j], v[m]))                                                      \
				p = v[j], v[j] = v[m], v[m] = p;                                   \
			if (LESS(v[m], v[0]))                                                      \
				p = v[m], v[m] = v[0], v[0] = p;                                   \
			p = v[m];                                                                  \
			for (;;) {                                                                 \
				while (LESS(v[i], p))                                              \
					i++;                                                       \
				while (LESS(p, v[j]))                                              \
					j--;                                                       \
				if (i >= j)                                                        \
					break;                                                     \
				T t = v[i];                                                        \
				v[i++] = v[j];                                                     \
				v[j--] = t;                                                        \
			}                                                                          \
			/* the smaller side by recursion, the larger by the loop */                \
			if (j + 1 < n - j - 1) {                                                   \
				name##_depth(v, j + 1, depth);                                     \
				v += j + 1, n -= j + 1;                                            \
			} else {                                                                   \
				name##_depth(v + j + 1, n - j - 1, depth);                         \
				n = j + 1;                                                         \
			}                                                                          \
		}                                                                                  \
		for (size_t i = 1; i < n; i++) {                                                   \
			T t = v[i];                                                                \
			size_t k = i;                                                              \
                                                                                                   \
			for (; k > 0 && LESS(t, v[k - 1]); k--)                                    \
				v[k] = v[k - 1];                                                   \
			v[k] = t;                                                                  \
		}                                                                                  \
	}                                                                                          \
	static void name(T *v, size_t n)                                                           \
	{                                                                                          \
		int depth = 0;                                                                     \
                                                                                                   \
		for (size_t k = n; k > 1; k >>= 1)                                                 \
			depth += 2;                                                                \
		name##_depth(v, n, depth);                                                         \
	}

#endif
