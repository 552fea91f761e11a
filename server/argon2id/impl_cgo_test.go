//go:build cgo && linux

package argon2id

// implementations are the ways this machine can compute a key: the
// library always, the AVX2 and AVX-512 fillings where the processor has
// them.
func implementations() map[string]func(pw, salt []byte, time, memoryKiB uint32, threads uint8, keyLen uint32) []byte {
	m := map[string]func(pw, salt []byte, time, memoryKiB uint32, threads uint8, keyLen uint32) []byte{"libargon2": libKey}
	for level, name := range []string{"", "avx2", "avx512"} {
		if level > 0 && level <= simdLevel {
			m[name] = func(pw, salt []byte, time, memoryKiB uint32, threads uint8, keyLen uint32) []byte {
				return fillKey(level, pw, salt, time, memoryKiB, threads, keyLen)
			}
		}
	}
	return m
}
