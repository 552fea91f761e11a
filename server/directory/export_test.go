package directory

// Words is the word list of one-time passwords.
var Words = words

// ServiceCached reports whether a verified service account credential is
// cached.
func (d *Directory) ServiceCached(name string) bool {
	_, ok := d.serviceCache.Load(name)
	return ok
}

// HoldAll takes every hashing slot of h until release is called, so that a
// test can tell whether a path hashes at all: one that does waits for its
// context.
func (h *Hasher) HoldAll() (release func()) {
	n := cap(h.slots)
	for i := 0; i < n; i++ {
		h.slots <- struct{}{}
	}
	return func() {
		for i := 0; i < n; i++ {
			<-h.slots
		}
	}
}
