/*
 * hll.c -- HyperLogLog with Ertl's improved estimator.
 *
 * Data: m = 2^p registers of one byte. An item's hash is split into the top
 * p bits (which register) and the remaining q = 64 - p bits; the register
 * keeps the largest "position of the first 1 bit" seen in those q bits,
 * 1..q+1 (q+1 when all q bits are zero).
 *
 * Estimate (Ertl 2017, algorithm 6, "improved raw estimator"): from the
 * histogram C[k] of register values,
 *	z = m * tau(1 - C[q+1]/m);  for k = q..1: z = (z + C[k]) / 2;
 *	z += m * sigma(C[0]/m);     E = alpha_inf * m^2 / z
 * with alpha_inf = 1 / (2 ln 2). sigma() corrects for empty registers (it
 * turns into linear counting when most registers are empty) and tau() for
 * saturated ones, so no empirical bias table is needed.
 *
 * Small ranges: while the linear-counting estimate m ln(m / V) (V empty
 * registers) is below 0.7 m we return it instead, as HLL++ does (Heule,
 * Nunkesser, Hall 2013, whose empirical switch-over for p = 14 is 11500 =
 * 0.70 m); there both estimators agree to well within their error and
 * linear counting is exact for a handful of items unless two collide.
 */
#include "detect/hll.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

struct hll {
	unsigned p;
	uint32_t m;
	uint8_t *reg;
};

struct hll *
hll_new(unsigned p)
{
	struct hll *h;

	if (p < HLL_P_MIN || p > HLL_P_MAX)
		fatal("hll_new: precision %u outside %d..%d", p, HLL_P_MIN,
		    HLL_P_MAX);
	h = xcalloc(1, sizeof(*h));
	h->p = p;
	h->m = (uint32_t)1 << p;
	h->reg = xcalloc(h->m, 1);
	return h;
}

void
hll_free(struct hll *h)
{
	if (h == NULL)
		return;
	free(h->reg);
	free(h);
}

void
hll_add(struct hll *h, uint64_t hash)
{
	uint32_t idx = (uint32_t)(hash >> (64 - h->p));
	/*
	 * The low q bits move to the top; the marker bit at position p-1
	 * caps the leading-zero count at q, so rho is 1..q+1 and clzll
	 * never sees zero.
	 */
	uint64_t w = (hash << h->p) | ((uint64_t)1 << (h->p - 1));
	uint8_t rho = (uint8_t)(__builtin_clzll(w) + 1);

	if (rho > h->reg[idx])
		h->reg[idx] = rho;
}

/* Ertl's sigma(x) for x in [0, 1]; infinite at 1 (all registers empty). */
static double
hll_sigma(double x)
{
	double y = 1.0, z = x, zprev;

	if (x == 1.0)
		return INFINITY;
	do {
		x *= x;
		zprev = z;
		z += x * y;
		y += y;
	} while (z != zprev);
	return z;
}

/* Ertl's tau(x) for x in [0, 1]. */
static double
hll_tau(double x)
{
	double y = 1.0, z, zprev;

	if (x == 0.0 || x == 1.0)
		return 0.0;
	z = 1.0 - x;
	do {
		x = sqrt(x);
		zprev = z;
		y *= 0.5;
		z -= (1.0 - x) * (1.0 - x) * y;
	} while (z != zprev);
	return z / 3.0;
}

uint64_t
hll_estimate(const struct hll *h)
{
	uint32_t c[66];		/* register values 0..q+1, q <= 60 */
	unsigned q = 64 - h->p, k;
	double m = h->m, z, e;
	uint32_t i;

	memset(c, 0, sizeof(c));
	for (i = 0; i < h->m; i++)
		c[h->reg[i]]++;
	if (c[0] == h->m)
		return 0;
	if (c[0] > 0) {
		e = m * log(m / c[0]);
		if (e <= 0.7 * m)
			return (uint64_t)llround(e);
	}
	z = m * hll_tau(1.0 - c[q + 1] / m);
	for (k = q; k >= 1; k--)
		z = 0.5 * (z + c[k]);
	z += m * hll_sigma(c[0] / m);
	e = m * m / (2.0 * M_LN2 * z);
	return (uint64_t)llround(e);
}

void
hll_reset(struct hll *h)
{
	memset(h->reg, 0, h->m);
}

void
hll_merge(struct hll *dst, const struct hll *src)
{
	uint32_t i;

	if (dst->p != src->p)
		fatal("hll_merge: precision %u into %u", src->p, dst->p);
	for (i = 0; i < dst->m; i++)
		if (src->reg[i] > dst->reg[i])
			dst->reg[i] = src->reg[i];
}

unsigned
hll_precision(const struct hll *h)
{
	return h->p;
}
