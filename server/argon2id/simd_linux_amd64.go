//go:build cgo

package argon2id

/*
#cgo CFLAGS: -O2
#include <stdint.h>
#include <string.h>

void kaspel_fill(uint8_t *memory, uint32_t passes, uint32_t lanes, uint32_t lane_length, int level);
int kaspel_simd_level(void);

static void kaspel_wipe(void *p, size_t n) { explicit_bzero(p, n); }
*/
import "C"

import (
	"encoding/binary"
	"os"
	"unsafe"

	"golang.org/x/crypto/blake2b"
)

// simdLevel is what fill_linux_amd64.c fills the memory with: 2 AVX-512,
// 1 AVX2 (every x86-64 since 2013), 0 nothing (libargon2 does). The
// processor decides; KASPEL_ARGON2=avx2 or =libargon2 asks for less, to
// compare.
var simdLevel = func() int {
	level := int(C.kaspel_simd_level())
	switch os.Getenv("KASPEL_ARGON2") {
	case "libargon2":
		return 0
	case "avx2":
		return min(level, 1)
	}
	return level
}()

// useSIMD says whether Key fills the memory here rather than in libargon2.
var useSIMD = simdLevel > 0

const blockSize = 1024

// simdKey computes argon2id as RFC 9106 describes it: H0 and the first
// two blocks of each lane and the tag here in Go with BLAKE2b, the
// memory filling in between, which is nearly all of the work, in C.
func simdKey(pw, salt []byte, time, memoryKiB uint32, threads uint8, keyLen uint32) []byte {
	return fillKey(simdLevel, pw, salt, time, memoryKiB, threads, keyLen)
}

// fillKey is simdKey with the block function of level.
func fillKey(level int, pw, salt []byte, time, memoryKiB uint32, threads uint8, keyLen uint32) []byte {
	if time < 1 || threads < 1 {
		// As libargon2 and x/crypto, and never passed by the callers.
		panic("argon2id: time and threads must be at least 1")
	}
	lanes := uint32(threads)
	n := memoryBytes(memoryKiB, threads)
	laneLength := uint32(n / blockSize / int(lanes))

	var h0 [blake2b.Size + 8]byte
	initHash(h0[:blake2b.Size], pw, salt, time, memoryKiB, lanes, keyLen)

	b := takeBlock(n)
	defer putBlock(b)
	mem := unsafe.Slice((*byte)(b.p), n)
	defer C.kaspel_wipe(b.p, C.size_t(n))
	for l := range lanes {
		first := int(l*laneLength) * blockSize
		binary.LittleEndian.PutUint32(h0[blake2b.Size+4:], l)
		for i := range uint32(2) {
			binary.LittleEndian.PutUint32(h0[blake2b.Size:], i)
			hashPrime(mem[first+int(i)*blockSize:first+int(i+1)*blockSize], h0[:])
		}
	}
	clear(h0[:])
	C.kaspel_fill((*C.uint8_t)(b.p), C.uint32_t(time), C.uint32_t(lanes), C.uint32_t(laneLength), C.int(level))

	// The last block of every lane, xored, hashed to the tag.
	var final [blockSize]byte
	for l := range lanes {
		last := mem[int((l+1)*laneLength-1)*blockSize:][:blockSize]
		for i := range final {
			final[i] ^= last[i]
		}
	}
	out := make([]byte, keyLen)
	hashPrime(out, final[:])
	clear(final[:])
	return out
}

// initHash writes H0 (RFC 9106, 3.2 step 1) for argon2id version 0x13
// without secret and associated data.
func initHash(h0 []byte, pw, salt []byte, time, memoryKiB, lanes, keyLen uint32) {
	h, _ := blake2b.New512(nil)
	var le [4]byte
	word := func(v uint32) {
		binary.LittleEndian.PutUint32(le[:], v)
		h.Write(le[:])
	}
	word(lanes)
	word(keyLen)
	word(memoryKiB)
	word(time)
	word(Version)
	word(2) // argon2id
	word(uint32(len(pw)))
	h.Write(pw)
	word(uint32(len(salt)))
	h.Write(salt)
	word(0) // no secret
	word(0) // no associated data
	h.Sum(h0[:0])
}

// hashPrime is H' (RFC 9106, 3.3), BLAKE2b stretched to len(out) bytes:
// up to 64 bytes one BLAKE2b of that size, longer outputs the first 32
// bytes of a chain of BLAKE2b-512 and the whole of a last, shorter one.
func hashPrime(out, in []byte) {
	var le [4]byte
	binary.LittleEndian.PutUint32(le[:], uint32(len(out)))
	if len(out) <= blake2b.Size {
		h, _ := blake2b.New(len(out), nil)
		h.Write(le[:])
		h.Write(in)
		h.Sum(out[:0])
		return
	}
	h, _ := blake2b.New512(nil)
	h.Write(le[:])
	h.Write(in)
	var v [blake2b.Size]byte
	h.Sum(v[:0])
	rest := out
	for len(rest) > blake2b.Size {
		copy(rest, v[:32])
		rest = rest[32:]
		if len(rest) > blake2b.Size {
			v = blake2b.Sum512(v[:])
		}
	}
	last, _ := blake2b.New(len(rest), nil)
	last.Write(v[:])
	last.Sum(rest[:0])
	clear(v[:])
}
