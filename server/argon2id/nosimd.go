//go:build cgo && linux && !amd64

package argon2id

// The AVX2 memory filling is for x86-64 only; libargon2 does the rest.
const useAVX2 = false

func simdKey(pw, salt []byte, time, memoryKiB uint32, threads uint8, keyLen uint32) []byte {
	panic("argon2id: no SIMD filling on this architecture")
}
