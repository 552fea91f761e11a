//go:build cgo && linux && !amd64

package argon2id

// The SIMD memory filling is for x86-64 only; libargon2 does it here.
const (
	simdLevel = 0
	useSIMD   = false
)

func simdKey(pw, salt []byte, time, memoryKiB uint32, threads uint8, keyLen uint32) []byte {
	panic("argon2id: no SIMD filling on this architecture")
}

func fillKey(level int, pw, salt []byte, time, memoryKiB uint32, threads uint8, keyLen uint32) []byte {
	panic("argon2id: no SIMD filling on this architecture")
}
