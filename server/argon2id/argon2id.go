// Package argon2id computes argon2id keys (RFC 9106, version 0x13) for
// the password hashes, the one cost of a login that cannot be cut without
// weakening it (a login storm is as fast as the server hashes).
//
// Built with cgo on Linux x86-64 it fills the memory with its own
// vectorised code (fill_linux_amd64.c): eight 64-bit words at once with
// AVX-512, four with AVX2 (every such processor since 2013), about 10
// and 12.5 ms for t=2, m=19 MiB, p=1 where Debian's libargon2 takes 22 ms
// and golang.org/x/crypto/argon2 25 ms. Elsewhere with cgo on Linux, or
// on an x86-64 without AVX2, it calls libargon2 (Debian's libargon2-1,
// the portable reference code OpenLDAP's {ARGON2} scheme uses). With cgo
// the memory blocks are reused from hash to hash instead of 19 MiB mapped
// and faulted in anew each time, and wiped after each. Without cgo it
// falls back to x/crypto. All give the same bytes (the tests compare
// them), so a hash made by one is checked by the others.
package argon2id

// Version is the argon2 version the keys are made with (0x13).
const Version = 0x13
