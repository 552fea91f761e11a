//go:build cgo && linux

package argon2id

/*
#cgo LDFLAGS: -largon2
#include <argon2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// The memory block of the hash running on this thread: the library asks
// for its memory through a callback without a user pointer, so the
// block is handed over in a thread-local variable (a cgo call keeps to
// one thread).
static __thread uint8_t *kaspel_block;
static __thread size_t kaspel_block_len;

static int kaspel_allocate(uint8_t **memory, size_t n) {
	if (kaspel_block != NULL && n <= kaspel_block_len) {
		*memory = kaspel_block;
		return 0;
	}
	*memory = malloc(n);
	return *memory == NULL ? -1 : 0;
}

// The library wipes the memory before it calls this.
static void kaspel_free(uint8_t *memory, size_t n) {
	(void)n;
	if (memory != kaspel_block) {
		free(memory);
	}
}

static int kaspel_argon2id(const uint8_t *pw, size_t pwlen, const uint8_t *salt, size_t saltlen,
		uint8_t *out, size_t outlen, uint32_t t, uint32_t m, uint32_t p, uint8_t *block, size_t blocklen) {
	argon2_context ctx;
	memset(&ctx, 0, sizeof ctx);
	ctx.out = out;
	ctx.outlen = (uint32_t)outlen;
	ctx.pwd = (uint8_t *)pw;
	ctx.pwdlen = (uint32_t)pwlen;
	ctx.salt = (uint8_t *)salt;
	ctx.saltlen = (uint32_t)saltlen;
	ctx.t_cost = t;
	ctx.m_cost = m;
	ctx.lanes = p;
	ctx.threads = p;
	ctx.version = ARGON2_VERSION_13;
	ctx.allocate_cbk = kaspel_allocate;
	ctx.free_cbk = kaspel_free;
	ctx.flags = ARGON2_DEFAULT_FLAGS;
	kaspel_block = block;
	kaspel_block_len = blocklen;
	int rc = argon2_ctx(&ctx, Argon2_id);
	kaspel_block = NULL;
	kaspel_block_len = 0;
	return rc;
}

static const char *kaspel_error(int rc) { return argon2_error_message(rc); }
*/
import "C"

import (
	"fmt"
	"runtime"
	"sync"
	"unsafe"
)

// Implementation names the code computing the keys.
var Implementation = "libargon2 (reference C implementation)"

func init() {
	switch simdLevel {
	case 1:
		Implementation = "Kaspel's memory filling with AVX2 (server/argon2id/fill_linux_amd64.c)"
	case 2:
		Implementation = "Kaspel's memory filling with AVX-512 (server/argon2id/fill_linux_amd64.c)"
	}
}

// blocks keeps the memory of finished hashes for the next ones: C memory,
// so that the garbage collector never scans or zeroes it. At most one per
// core plus one is kept; the hasher runs no more at once.
var blocks struct {
	sync.Mutex
	free []block
}

type block struct {
	p unsafe.Pointer
	n int
}

func takeBlock(n int) block {
	blocks.Lock()
	for i, b := range blocks.free {
		if b.n >= n {
			blocks.free = append(blocks.free[:i], blocks.free[i+1:]...)
			blocks.Unlock()
			return b
		}
	}
	blocks.Unlock()
	p := C.malloc(C.size_t(n))
	if p == nil {
		panic("argon2id: out of memory")
	}
	return block{p: p, n: n}
}

func putBlock(b block) {
	blocks.Lock()
	defer blocks.Unlock()
	if len(blocks.free) <= runtime.GOMAXPROCS(0) {
		blocks.free = append(blocks.free, b)
		return
	}
	C.free(b.p)
}

// memoryBytes is what the library allocates: m KiB rounded down to a
// multiple of 4 blocks per lane, at least 8 blocks per lane.
func memoryBytes(memoryKiB uint32, threads uint8) int {
	lanes := uint32(threads)
	m := memoryKiB
	if m < 8*lanes {
		m = 8 * lanes
	}
	m = m / (4 * lanes) * (4 * lanes)
	return int(m) * 1024
}

// Key derives a key of keyLen bytes from pw and salt.
func Key(pw, salt []byte, time, memoryKiB uint32, threads uint8, keyLen uint32) []byte {
	if useSIMD {
		return simdKey(pw, salt, time, memoryKiB, threads, keyLen)
	}
	return libKey(pw, salt, time, memoryKiB, threads, keyLen)
}

// libKey lets libargon2 compute the whole key.
func libKey(pw, salt []byte, time, memoryKiB uint32, threads uint8, keyLen uint32) []byte {
	out := make([]byte, keyLen)
	b := takeBlock(memoryBytes(memoryKiB, threads))
	defer putBlock(b)
	var pwp, saltp *C.uint8_t
	if len(pw) > 0 {
		pwp = (*C.uint8_t)(unsafe.Pointer(&pw[0]))
	}
	if len(salt) > 0 {
		saltp = (*C.uint8_t)(unsafe.Pointer(&salt[0]))
	}
	rc := C.kaspel_argon2id(pwp, C.size_t(len(pw)), saltp, C.size_t(len(salt)),
		(*C.uint8_t)(unsafe.Pointer(&out[0])), C.size_t(keyLen), C.uint32_t(time), C.uint32_t(memoryKiB), C.uint32_t(threads),
		(*C.uint8_t)(b.p), C.size_t(b.n))
	if rc != C.ARGON2_OK {
		// Only parameters the callers never pass (they check them) fail.
		panic(fmt.Sprintf("argon2id: %s", C.GoString(C.kaspel_error(rc))))
	}
	return out
}
