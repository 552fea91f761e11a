package directory_test

import (
	"regexp"
	"strings"
	"testing"

	"kaspel/server/directory"
	"kaspel/shared/password"
)

// forbidden are characters a one-time password must not contain: 0 and 1
// look like O and l, y and z swap between German and English keyboards,
// umlauts and ß are missing from some layouts at a login prompt.
const forbidden = "01yzYZäöüÄÖÜß"

var oneTimeRE = regexp.MustCompile(`^[A-Z][a-z]+-[A-Z][a-z]+-[2-9]{2}$`)

func TestOneTimePassword(t *testing.T) {
	seen := map[string]bool{}
	const n = 3000
	for i := 0; i < n; i++ {
		pw := directory.OneTimePassword()
		if broken := password.Check(pw); broken != nil {
			t.Fatalf("OneTimePassword() = %q breaks %v", pw, broken)
		}
		if strings.ContainsAny(pw, forbidden) {
			t.Fatalf("OneTimePassword() = %q contains one of %q", pw, forbidden)
		}
		if !oneTimeRE.MatchString(pw) {
			t.Fatalf("OneTimePassword() = %q, want Word-Word-NN", pw)
		}
		if w := strings.Split(pw, "-"); w[0] == w[1] {
			t.Fatalf("OneTimePassword() = %q repeats its word", pw)
		}
		seen[pw] = true
	}
	// About 20 bits: 3000 draws should hardly ever repeat.
	if len(seen) < n-50 {
		t.Errorf("%d different passwords in %d, want nearly all different", len(seen), n)
	}
}

// TestWords checks every word of the list, not only the ones a sample of
// passwords happens to draw.
func TestWords(t *testing.T) {
	if len(directory.Words) < 100 {
		t.Errorf("%d words, want at least 100", len(directory.Words))
	}
	seen := map[string]bool{}
	for _, w := range directory.Words {
		if strings.ContainsAny(w, forbidden) {
			t.Errorf("word %q contains one of %q", w, forbidden)
		}
		if !regexp.MustCompile(`^[A-Z][a-z]{1,8}$`).MatchString(w) {
			t.Errorf("word %q: want a capitalised word of 2 to 9 plain letters", w)
		}
		if seen[w] {
			t.Errorf("word %q appears twice", w)
		}
		seen[w] = true
	}
}

func TestServicePassword(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		pw := directory.ServicePassword()
		if broken := password.Check(pw); broken != nil {
			t.Fatalf("ServicePassword() = %q breaks %v", pw, broken)
		}
		if len(pw) != 32 {
			t.Fatalf("ServicePassword() = %q, %d characters, want 32", pw, len(pw))
		}
		if seen[pw] {
			t.Fatalf("ServicePassword() repeated %q", pw)
		}
		seen[pw] = true
	}
}
