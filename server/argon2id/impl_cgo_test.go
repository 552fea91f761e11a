//go:build cgo && linux

package argon2id

// implementations are the ways this machine can compute a key: the
// library always, the AVX2 filling where the processor has it.
func implementations() map[string]func(pw, salt []byte, time, memoryKiB uint32, threads uint8, keyLen uint32) []byte {
	m := map[string]func(pw, salt []byte, time, memoryKiB uint32, threads uint8, keyLen uint32) []byte{"libargon2": libKey}
	if useAVX2 {
		m["avx2"] = simdKey
	}
	return m
}
