package cli

import (
	"strings"
	"testing"
	"time"
)

// auditLine is one row of "audit".
type auditLine struct {
	at, actor, action, target, ok, source, detail string
}

// auditRows runs "audit" with the filters and returns its rows, newest first.
// The columns are cut where the header's are (tabwriter aligns them).
func auditRows(t *testing.T, data string, filters ...string) []auditLine {
	t.Helper()
	r := mustRun(t, append([]string{"audit", "--data", data}, filters...)...)
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	names := []string{"TIME", "ACTOR", "ACTION", "TARGET", "OK", "SOURCE", "DETAIL"}
	var starts []int
	for _, n := range names {
		i := strings.Index(lines[0], n) // the header is ASCII
		if i < 0 {
			t.Fatalf("audit header: got %q, want column %s", lines[0], n)
		}
		starts = append(starts, i)
	}
	var out []auditLine
	for _, l := range lines[1:] {
		rs := []rune(l)
		col := func(i int) string {
			from, to := starts[i], len(rs)
			if i+1 < len(starts) {
				to = starts[i+1]
			}
			if from > len(rs) {
				return ""
			}
			if to > len(rs) {
				to = len(rs)
			}
			return strings.TrimSpace(string(rs[from:to]))
		}
		out = append(out, auditLine{at: col(0), actor: col(1), action: col(2), target: col(3), ok: col(4), source: col(5), detail: col(6)})
	}
	return out
}

func TestAudit(t *testing.T) {
	data := newSchool(t)
	fred, _ := addUser(t, data, "Fred", "Mustermann", "pupil", "3a")
	lena, _ := addUser(t, data, "Lena", "Schmidt", "pupil", "3a")
	mustRun(t, "user", "lock", fred, "--reason", "Passwort weitergegeben", "--data", data)
	// who runs the command: sudo's user before $USER
	r := runEnv(t, map[string]string{"USER": "root", "SUDO_USER": "hausmeister"}, "user", "unlock", fred, "--data", data)
	wantCode(t, r, 0)
	today := time.Now().Format("2006-01-02")

	all := auditRows(t, data)
	var actions []string
	for _, l := range all {
		actions = append(actions, l.action)
		if !strings.HasPrefix(l.at, today) {
			t.Errorf("time of %v: got %q, want today %s", l, l.at, today)
		}
		if l.ok != "yes" {
			t.Errorf("OK of %v: got %q, want yes", l, l.ok)
		}
	}
	want := []string{"user.unlock", "user.lock", "user.add", "user.add", "user.add", "school.init"}
	if strings.Join(actions, " ") != strings.Join(want, " ") {
		t.Fatalf("actions, newest first: got %v, want %v", actions, want)
	}
	for i, w := range []auditLine{
		{actor: "cli:hausmeister", action: "user.unlock", target: fred, source: "cli", detail: "was: Passwort weitergegeben"},
		{actor: "cli:" + testUser, action: "user.lock", target: fred, source: "cli", detail: "Passwort weitergegeben"},
		{actor: "cli:" + testUser, action: "user.add", target: lena, source: "cli", detail: "pupil 3a"},
		{actor: "cli:" + testUser, action: "user.add", target: fred, source: "cli", detail: "pupil 3a"},
		{actor: "cli:" + testUser, action: "user.add", target: "admin", source: "cli", detail: "admin"},
	} {
		got := all[i]
		got.at, got.ok = "", ""
		if got != w {
			t.Errorf("line %d: got %+v, want %+v", i, got, w)
		}
	}

	for _, tc := range []struct {
		filters []string
		want    []string // action target
	}{
		{[]string{"--login", fred}, []string{"user.unlock " + fred, "user.lock " + fred, "user.add " + fred}},
		{[]string{"--login", strings.ToUpper(fred)}, []string{"user.unlock " + fred, "user.lock " + fred, "user.add " + fred}},
		{[]string{"--login", lena}, []string{"user.add " + lena}},
		{[]string{"--login", "nobody"}, nil},
		{[]string{"--action", "user.lock"}, []string{"user.lock " + fred}},
		{[]string{"--action", "user.add"}, []string{"user.add " + lena, "user.add " + fred, "user.add admin"}},
		{[]string{"--action", "user."}, []string{"user.unlock " + fred, "user.lock " + fred, "user.add " + lena, "user.add " + fred, "user.add admin"}},
		{[]string{"--action", "user"}, nil},
		{[]string{"--action", "user.add", "--login", fred}, []string{"user.add " + fred}},
		{[]string{"--limit", "2"}, []string{"user.unlock " + fred, "user.lock " + fred}},
		{[]string{"--since", today, "--action", "user.lock"}, []string{"user.lock " + fred}},
		{[]string{"--since", "2999-01-01"}, nil},
	} {
		t.Run(strings.Join(tc.filters, " "), func(t *testing.T) {
			var got []string
			for _, l := range auditRows(t, data, tc.filters...) {
				got = append(got, l.action+" "+l.target)
			}
			if strings.Join(got, ", ") != strings.Join(tc.want, ", ") {
				t.Errorf("audit %v: got %v, want %v", tc.filters, got, tc.want)
			}
		})
	}

	t.Run("usage", func(t *testing.T) {
		for _, args := range [][]string{
			{"--since", "yesterday"},
			{"--limit", "many"},
			{"fred"},
		} {
			wantCode(t, runCLI(t, append([]string{"audit", "--data", data}, args...)...), 2)
		}
	})
}
