// The memory filling of argon2id (RFC 9106, section 3.4, version 0x13)
// with SIMD instructions: the part of a password check that takes all of
// its time. Debian's libargon2 is built from the portable reference code
// (64-bit scalar arithmetic, one word at a time); here four words (AVX2)
// or eight (AVX-512) go through the BlaMka function at once. Go computes
// H0, the first two blocks of each lane and the tag (simd_linux_amd64.go);
// this file only fills the blocks in between, with the block function
// the processor can run (kaspel_simd_level says which).
//
// Layout: a block is 128 little-endian 64-bit words. The permutation P
// works on 16 words at a time, first on each row of 16 consecutive words,
// then on each column pair (words 2i, 2i+1, 2i+16, 2i+17, ..., 2i+113).
// Both block functions hold independent groups of 16 words side by side
// in the 128-bit parts of the registers (two groups in AVX2's 256 bits,
// four in AVX-512's 512), in the same arrangement for rows and columns: a
// register holds a pair of consecutive words of each group, so the
// diagonal step of the round only moves words inside a 128-bit part
// (palignr) and never across.

#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#define WORDS 128

typedef struct {
	uint64_t v[WORDS];
} kaspel_blk;

typedef void (*block_func)(const kaspel_blk *prev, const kaspel_blk *ref, kaspel_blk *next, int with_xor);

// One BLAKE2b round without message on 16 words v0..v15 held as
// a0=(v0,v1) a1=(v2,v3) b0=(v4,v5) b1=(v6,v7) c0=(v8,v9) c1=(v10,v11)
// d0=(v12,v13) d1=(v14,v15) in every 128-bit part: the column step
// G(v0,v4,v8,v12) ... G(v3,v7,v11,v15), then the diagonal step
// G(v0,v5,v10,v15), G(v1,v6,v11,v12), G(v2,v7,v8,v13), G(v3,v4,v9,v14),
// for which b becomes (v5,v6),(v7,v4), c swaps its halves and d becomes
// (v15,v12),(v13,v14), and back. G works on two word pairs at once.
#define G(T, a, b, c, d)                          \
	do {                                      \
		a = T##_blamka(a, b);             \
		d = T##_rotr32(T##_xor(d, a));    \
		c = T##_blamka(c, d);             \
		b = T##_rotr24(T##_xor(b, c));    \
		a = T##_blamka(a, b);             \
		d = T##_rotr16(T##_xor(d, a));    \
		c = T##_blamka(c, d);             \
		b = T##_rotr63(T##_xor(b, c));    \
	} while (0)

#define ROUND16(T, V)                                                               \
	static inline void T##_round(V *a0, V *a1, V *b0, V *b1, V *c0, V *c1, V *d0, V *d1) { \
		V A0 = *a0, A1 = *a1, B0 = *b0, B1 = *b1, C0 = *c0, C1 = *c1, D0 = *d0, D1 = *d1, t0, t1; \
		G(T, A0, B0, C0, D0);                                                       \
		G(T, A1, B1, C1, D1);                                                       \
		t0 = T##_alignr(B1, B0), t1 = T##_alignr(B0, B1), B0 = t0, B1 = t1;         \
		t0 = T##_alignr(D0, D1), t1 = T##_alignr(D1, D0), D0 = t0, D1 = t1;         \
		G(T, A0, B0, C1, D0);                                                       \
		G(T, A1, B1, C0, D1);                                                       \
		t0 = T##_alignr(B0, B1), t1 = T##_alignr(B1, B0), B0 = t0, B1 = t1;         \
		t0 = T##_alignr(D1, D0), t1 = T##_alignr(D0, D1), D0 = t0, D1 = t1;         \
		*a0 = A0, *a1 = A1, *b0 = B0, *b1 = B1, *c0 = C0, *c1 = C1, *d0 = D0, *d1 = D1; \
	}

// ---- AVX2: two groups per register ----

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2")
#endif

static inline __m256i y_xor(__m256i x, __m256i y) { return _mm256_xor_si256(x, y); }
static inline __m256i y_rotr32(__m256i x) { return _mm256_shuffle_epi32(x, _MM_SHUFFLE(2, 3, 0, 1)); }
static inline __m256i y_rotr24(__m256i x) {
	const __m256i m = _mm256_setr_epi8(3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10,
		3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10);
	return _mm256_shuffle_epi8(x, m);
}
static inline __m256i y_rotr16(__m256i x) {
	const __m256i m = _mm256_setr_epi8(2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9,
		2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9);
	return _mm256_shuffle_epi8(x, m);
}
static inline __m256i y_rotr63(__m256i x) { return _mm256_xor_si256(_mm256_srli_epi64(x, 63), _mm256_add_epi64(x, x)); }
// x + y + 2 * lo32(x) * lo32(y), per 64-bit word.
static inline __m256i y_blamka(__m256i x, __m256i y) {
	__m256i p = _mm256_mul_epu32(x, y);
	return _mm256_add_epi64(_mm256_add_epi64(x, y), _mm256_add_epi64(p, p));
}
// (lo[1], hi[0]) in each 128-bit part.
static inline __m256i y_alignr(__m256i hi, __m256i lo) { return _mm256_alignr_epi8(hi, lo, 8); }

ROUND16(y, __m256i)

static inline __m256i load2(const uint64_t *lo, const uint64_t *hi) {
	return _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)lo)),
		_mm_loadu_si128((const __m128i *)hi), 1);
}

static inline void store2(uint64_t *lo, uint64_t *hi, __m256i x) {
	_mm_storeu_si128((__m128i *)lo, _mm256_castsi256_si128(x));
	_mm_storeu_si128((__m128i *)hi, _mm256_extracti128_si256(x, 1));
}

// next = P(prev ^ ref) ^ prev ^ ref, and ^ next's old value when
// with_xor (passes after the first, version 0x13).
static void block_avx2(const kaspel_blk *prev, const kaspel_blk *ref, kaspel_blk *next, int with_xor) {
	uint64_t r[WORDS] __attribute__((aligned(32)));
	uint64_t keep[WORDS] __attribute__((aligned(32)));
	for (int i = 0; i < WORDS; i += 4) {
		__m256i x = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)&prev->v[i]),
			_mm256_loadu_si256((const __m256i *)&ref->v[i]));
		_mm256_store_si256((__m256i *)&r[i], x);
		if (with_xor) {
			x = _mm256_xor_si256(x, _mm256_loadu_si256((const __m256i *)&next->v[i]));
		}
		_mm256_store_si256((__m256i *)&keep[i], x);
	}
	// Rows 2k and 2k+1 (words 32k..32k+31) in the two halves.
	for (int k = 0; k < 4; k++) {
		uint64_t *p = &r[32 * k], *q = p + 16;
		__m256i a0 = load2(p + 0, q + 0), a1 = load2(p + 2, q + 2), b0 = load2(p + 4, q + 4),
			b1 = load2(p + 6, q + 6), c0 = load2(p + 8, q + 8), c1 = load2(p + 10, q + 10),
			d0 = load2(p + 12, q + 12), d1 = load2(p + 14, q + 14);
		y_round(&a0, &a1, &b0, &b1, &c0, &c1, &d0, &d1);
		store2(p + 0, q + 0, a0), store2(p + 2, q + 2, a1), store2(p + 4, q + 4, b0), store2(p + 6, q + 6, b1);
		store2(p + 8, q + 8, c0), store2(p + 10, q + 10, c1), store2(p + 12, q + 12, d0), store2(p + 14, q + 14, d1);
	}
	// Column pairs 2j and 2j+1 (words 4j..4j+3 of every row) in the two
	// halves: row n of the block holds v(2n), v(2n+1) of each group.
	for (int j = 0; j < 4; j++) {
		__m256i *c = (__m256i *)&r[4 * j]; // row n at c + 4n
		__m256i a0 = c[0], a1 = c[4], b0 = c[8], b1 = c[12], c0 = c[16], c1 = c[20], d0 = c[24], d1 = c[28];
		y_round(&a0, &a1, &b0, &b1, &c0, &c1, &d0, &d1);
		c[0] = a0, c[4] = a1, c[8] = b0, c[12] = b1, c[16] = c0, c[20] = c1, c[24] = d0, c[28] = d1;
	}
	for (int i = 0; i < WORDS; i += 4) {
		__m256i x = _mm256_xor_si256(_mm256_load_si256((const __m256i *)&r[i]), _mm256_load_si256((const __m256i *)&keep[i]));
		_mm256_storeu_si256((__m256i *)&next->v[i], x);
	}
}

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

// ---- AVX-512 (F, BW for palignr on 512 bits): four groups per register ----

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,avx512f,avx512bw"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,avx512f,avx512bw")
#endif

static inline __m512i z_xor(__m512i x, __m512i y) { return _mm512_xor_si512(x, y); }
static inline __m512i z_rotr32(__m512i x) { return _mm512_ror_epi64(x, 32); }
static inline __m512i z_rotr24(__m512i x) { return _mm512_ror_epi64(x, 24); }
static inline __m512i z_rotr16(__m512i x) { return _mm512_ror_epi64(x, 16); }
static inline __m512i z_rotr63(__m512i x) { return _mm512_ror_epi64(x, 63); }
static inline __m512i z_blamka(__m512i x, __m512i y) {
	__m512i p = _mm512_mul_epu32(x, y);
	return _mm512_add_epi64(_mm512_add_epi64(x, y), _mm512_add_epi64(p, p));
}
static inline __m512i z_alignr(__m512i hi, __m512i lo) { return _mm512_alignr_epi8(hi, lo, 8); }

ROUND16(z, __m512i)

// Four registers of four 128-bit parts each, transposed: part i of
// register j goes to part j of register i. Its own inverse.
static inline void transpose4(__m512i *x0, __m512i *x1, __m512i *x2, __m512i *x3) {
	__m512i t0 = _mm512_shuffle_i64x2(*x0, *x1, _MM_SHUFFLE(1, 0, 1, 0)); // x0.0 x0.1 x1.0 x1.1
	__m512i t1 = _mm512_shuffle_i64x2(*x2, *x3, _MM_SHUFFLE(1, 0, 1, 0)); // x2.0 x2.1 x3.0 x3.1
	__m512i t2 = _mm512_shuffle_i64x2(*x0, *x1, _MM_SHUFFLE(3, 2, 3, 2)); // x0.2 x0.3 x1.2 x1.3
	__m512i t3 = _mm512_shuffle_i64x2(*x2, *x3, _MM_SHUFFLE(3, 2, 3, 2)); // x2.2 x2.3 x3.2 x3.3
	*x0 = _mm512_shuffle_i64x2(t0, t1, _MM_SHUFFLE(2, 0, 2, 0)); // x0.0 x1.0 x2.0 x3.0
	*x1 = _mm512_shuffle_i64x2(t0, t1, _MM_SHUFFLE(3, 1, 3, 1));
	*x2 = _mm512_shuffle_i64x2(t2, t3, _MM_SHUFFLE(2, 0, 2, 0));
	*x3 = _mm512_shuffle_i64x2(t2, t3, _MM_SHUFFLE(3, 1, 3, 1));
}

static void block_avx512(const kaspel_blk *prev, const kaspel_blk *ref, kaspel_blk *next, int with_xor) {
	__m512i r[WORDS / 8], keep[WORDS / 8];
	for (int i = 0; i < WORDS / 8; i++) {
		__m512i x = _mm512_xor_si512(_mm512_loadu_si512(&prev->v[8 * i]), _mm512_loadu_si512(&ref->v[8 * i]));
		r[i] = x;
		if (with_xor) {
			x = _mm512_xor_si512(x, _mm512_loadu_si512(&next->v[8 * i]));
		}
		keep[i] = x;
	}
	// Rows 4k..4k+3 in the four parts: r[8k+2n+h] holds pairs 4h..4h+3
	// of row 4k+n; transposed, pair 4h+i of the four rows is one register.
	for (int k = 0; k < 2; k++) {
		__m512i *row = &r[8 * k];
		__m512i a0 = row[0], a1 = row[2], b0 = row[4], b1 = row[6];
		__m512i c0 = row[1], c1 = row[3], d0 = row[5], d1 = row[7];
		transpose4(&a0, &a1, &b0, &b1);
		transpose4(&c0, &c1, &d0, &d1);
		z_round(&a0, &a1, &b0, &b1, &c0, &c1, &d0, &d1);
		transpose4(&a0, &a1, &b0, &b1);
		transpose4(&c0, &c1, &d0, &d1);
		row[0] = a0, row[2] = a1, row[4] = b0, row[6] = b1;
		row[1] = c0, row[3] = c1, row[5] = d0, row[7] = d1;
	}
	// Column pairs 4j..4j+3 (words 8j..8j+7 of every row) in the four
	// parts: row n at r[2n+j].
	for (int j = 0; j < 2; j++) {
		__m512i *c = &r[j];
		__m512i a0 = c[0], a1 = c[2], b0 = c[4], b1 = c[6], c0 = c[8], c1 = c[10], d0 = c[12], d1 = c[14];
		z_round(&a0, &a1, &b0, &b1, &c0, &c1, &d0, &d1);
		c[0] = a0, c[2] = a1, c[4] = b0, c[6] = b1, c[8] = c0, c[10] = c1, c[12] = d0, c[14] = d1;
	}
	for (int i = 0; i < WORDS / 8; i++) {
		_mm512_storeu_si512(&next->v[8 * i], _mm512_xor_si512(r[i], keep[i]));
	}
}

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

// kaspel_simd_level says which block function this processor runs:
// 2 AVX-512 (F and BW), 1 AVX2, 0 none (the caller uses libargon2).
int kaspel_simd_level(void) {
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")) {
		return 2;
	}
	return __builtin_cpu_supports("avx2") ? 1 : 0;
}

// The next block of pseudo-random addresses for the data-independent
// slices: the input block's counter goes up, then G(0, G(0, input)).
static void next_addresses(block_func fill_block, kaspel_blk *address, kaspel_blk *input, const kaspel_blk *zero) {
	input->v[6]++;
	fill_block(zero, input, address, 0);
	fill_block(zero, address, address, 0);
}

// kaspel_fill fills memory (lanes * lane_length blocks, the first two of
// each lane already set) over passes passes with the block function of
// level (kaspel_simd_level, 1 or 2).
void kaspel_fill(uint8_t *memory_bytes, uint32_t passes, uint32_t lanes, uint32_t lane_length, int level) {
	const block_func fill_block = level >= 2 ? block_avx512 : block_avx2;
	kaspel_blk *memory = (kaspel_blk *)memory_bytes;
	const uint32_t segment_length = lane_length / 4;
	const uint64_t memory_blocks = (uint64_t)lanes * lane_length;
	kaspel_blk zero, input, address;
	memset(&zero, 0, sizeof zero);
	for (uint32_t pass = 0; pass < passes; pass++) {
		for (uint32_t slice = 0; slice < 4; slice++) {
			for (uint32_t lane = 0; lane < lanes; lane++) {
				// argon2id: data-independent addressing in the first half of the first pass.
				const int independent = pass == 0 && slice < 2;
				if (independent) {
					memset(&input, 0, sizeof input);
					input.v[0] = pass;
					input.v[1] = lane;
					input.v[2] = slice;
					input.v[3] = memory_blocks;
					input.v[4] = passes;
					input.v[5] = 2; // Argon2id
				}
				uint32_t start = 0;
				if (pass == 0 && slice == 0) {
					start = 2;
					if (independent) {
						next_addresses(fill_block, &address, &input, &zero);
					}
				}
				uint64_t curr = (uint64_t)lane * lane_length + (uint64_t)slice * segment_length + start;
				uint64_t prev = curr % lane_length == 0 ? curr + lane_length - 1 : curr - 1;
				for (uint32_t i = start; i < segment_length; i++, curr++, prev++) {
					if (curr % lane_length == 1) {
						prev = curr - 1;
					}
					uint64_t rnd;
					if (independent) {
						if (i % WORDS == 0) {
							next_addresses(fill_block, &address, &input, &zero);
						}
						rnd = address.v[i % WORDS];
					} else {
						rnd = memory[prev].v[0];
					}
					uint64_t ref_lane = (rnd >> 32) % lanes;
					if (pass == 0 && slice == 0) {
						ref_lane = lane;
					}
					const int same_lane = ref_lane == lane;
					// The reference area and the position in it (RFC 9106, 3.4.1.2).
					uint64_t area;
					if (pass == 0) {
						if (slice == 0) {
							area = i - 1;
						} else if (same_lane) {
							area = (uint64_t)slice * segment_length + i - 1;
						} else {
							area = (uint64_t)slice * segment_length - (i == 0 ? 1 : 0);
						}
					} else {
						if (same_lane) {
							area = lane_length - segment_length + i - 1;
						} else {
							area = lane_length - segment_length - (i == 0 ? 1 : 0);
						}
					}
					uint64_t x = rnd & 0xffffffff;
					x = (x * x) >> 32;
					uint64_t rel = area - 1 - ((area * x) >> 32);
					uint64_t begin = 0;
					if (pass != 0 && slice != 3) {
						begin = (uint64_t)(slice + 1) * segment_length;
					}
					uint64_t ref_index = (begin + rel) % lane_length;
					fill_block(&memory[prev], &memory[ref_lane * lane_length + ref_index], &memory[curr], pass != 0);
				}
			}
		}
	}
	explicit_bzero(&input, sizeof input);
	explicit_bzero(&address, sizeof address);
}
