package bench

import (
	"fmt"
	"os"
	"strings"
)

// WriteDoc writes the results into docs/performance.md between the
// markers, keeping the findings written by hand around them.
func WriteDoc(path string, r *Report) error {
	const begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nMeasured on %s with `make bench`.\n\n", begin, r.Started.Format("2006-01-02 15:04 MST"))
	for _, f := range r.Facts {
		fmt.Fprintf(&b, "- %s\n", f)
	}
	b.WriteString("\n" + r.Table())
	if len(r.Notes) > 0 {
		b.WriteString("\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	b.WriteString(end)
	old, err := os.ReadFile(path)
	text := string(old)
	if err != nil || !strings.Contains(text, begin) || !strings.Contains(text, end) {
		text = "# Performance\n\n" + begin + "\n" + end + "\n"
	}
	i, j := strings.Index(text, begin), strings.Index(text, end)+len(end)
	return os.WriteFile(path, []byte(text[:i]+b.String()+text[j:]), 0o644)
}
