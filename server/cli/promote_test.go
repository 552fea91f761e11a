package cli

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"kaspel/server/config"
)

func classOf(t *testing.T, data, login string) string {
	t.Helper()
	line, ok := row(userList(t, data, "--all"), login)
	if !ok {
		t.Fatalf("user list --all: got no %s", login)
	}
	// LOGIN NAME(2 words) ROLE CLASS STATUS...
	return strings.Fields(line)[4]
}

func TestPromoteAndPurge(t *testing.T) {
	data := newSchool(t)
	today := time.Now().Format("2006-01-02")
	anna, _ := addUser(t, data, "Anna", "Anfang", "pupil", "1a")
	bert, _ := addUser(t, data, "Bert", "Bleib", "pupil", "2a")
	cora, _ := addUser(t, data, "Cora", "Dritte", "pupil", "3b")
	dirk, _ := addUser(t, data, "Dirk", "Vierte", "pupil", "4a")
	emil, _ := addUser(t, data, "Emil", "Vierte", "pupil", "4b")
	fida, _ := addUser(t, data, "Fida", "Sprache", "pupil", "daz")
	tina, _ := addUser(t, data, "Tina", "Lehmann", "teacher", "4a")
	mustRun(t, "user", "hold-back", bert, "--data", data)

	wantClasses := func(t *testing.T, want map[string]string) {
		t.Helper()
		for login, class := range want {
			if got := classOf(t, data, login); got != class {
				t.Errorf("class of %s: got %v, want %v", login, got, class)
			}
		}
	}
	start := map[string]string{anna: "1a", bert: "2a", cora: "3b", dirk: "4a", emil: "4b", fida: "daz", tina: "4a"}

	t.Run("dry run", func(t *testing.T) {
		before := state(t, data)
		r := mustRun(t, "promote", "--dry-run", "--data", data)
		for _, want := range []string{
			"Dry run (nothing changed)",
			"promoted: 2, held back: 1, leavers: 2, without grade: 1",
			anna, "1a -> 2a", cora, "3b -> 4b", bert + " ", "stays in 2a (held back)",
			dirk, "4a -> leaves the school", emil, "4b -> leaves the school", fida, `class "daz" has no grade`,
		} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("dry run output: want %q in\n%s", want, r.stdout)
			}
		}
		if strings.Contains(r.stdout, tina) {
			t.Errorf("dry run output: got the teacher %s, want pupils only", tina)
		}
		sameState(t, "promote --dry-run", state(t, data), before)
		wantClasses(t, start)
	})

	t.Run("promote", func(t *testing.T) {
		r := mustRun(t, "promote", "--data", data)
		if strings.Contains(r.stdout, "Dry run") || !strings.Contains(r.stdout, "promoted: 2, held back: 1, leavers: 2, without grade: 1") {
			t.Errorf("promote output: got\n%s", r.stdout)
		}
		wantClasses(t, map[string]string{anna: "2a", bert: "2a", cora: "4b", dirk: "-", emil: "-", fida: "daz", tina: "4a"})
		if got := show(t, data, bert)["status"]; strings.Contains(got, "held back") {
			t.Errorf("status of %s after the promotion: got %q, want the mark cleared", bert, got)
		}
		for login, former := range map[string]string{dirk: "4a", emil: "4b"} {
			d := show(t, data, login)
			if !strings.Contains(d["status"], "leaving "+today) {
				t.Errorf("status of %s: got %q, want %q", login, d["status"], "leaving "+today)
			}
			if d["former class"] != former {
				t.Errorf("former class of %s: got %q, want %q", login, d["former class"], former)
			}
		}
		if got, want := logins(userList(t, data, "--class", "4b")), []string{cora}; !reflect.DeepEqual(got, want) {
			t.Errorf("class 4b after the promotion: got %v, want %v", got, want)
		}
		if got := auditRows(t, data, "--action", "promote"); len(got) != 1 {
			t.Errorf("protocol of the promotion: got %v, want one line", got)
		}
	})

	t.Run("again", func(t *testing.T) {
		before := state(t, data)
		r := runCLI(t, "promote", "--data", data)
		wantCode(t, r, 1)
		if !strings.Contains(r.stderr, "180 days") || !strings.Contains(r.stderr, "--force") {
			t.Errorf("stderr: got %q, want it to say the last promotion was recent and name --force", r.stderr)
		}
		sameState(t, "a second promotion", state(t, data), before)
		wantCode(t, runCLI(t, "promote", "--dry-run", "--data", data), 1)
		wantCode(t, runCLI(t, "promote", "--force", "--leaving-date", "31.07.2027", "--data", data), 1)
		sameState(t, "a promotion with a bad date", state(t, data), before)
	})

	t.Run("purge in the grace period", func(t *testing.T) {
		before := state(t, data)
		for _, args := range [][]string{{"purge", "--dry-run"}, {"purge"}} {
			r := mustRun(t, append(args, "--data", data)...)
			if !strings.Contains(r.stdout, " 0 accounts of people who left more than 90 days ago") {
				t.Errorf("%v right after the promotion: got %q, want 0 accounts", args, r.stdout)
			}
		}
		// purge writes no protocol line when it deletes nobody
		sameState(t, "purge in the grace period", state(t, data), before)
	})

	t.Run("purge after the grace period", func(t *testing.T) {
		setConfig(t, data, func(c *config.Config) { c.Directory.PurgeGraceDays = 0 })
		mustRun(t, "user", "leave", dirk, "--date", "2020-01-01", "--data", data)
		before := state(t, data)
		r := mustRun(t, "purge", "--dry-run", "--data", data)
		if !strings.Contains(r.stdout, "Would delete (dry run) 1 accounts") || !strings.Contains(r.stdout, dirk) || !strings.Contains(r.stdout, "left 2020-01-01") {
			t.Errorf("purge --dry-run: got\n%s\nwant %s who left on 2020-01-01", r.stdout, dirk)
		}
		if strings.Contains(r.stdout, emil) {
			t.Errorf("purge --dry-run: got %s, who leaves today, want only people whose leaving date is past", emil)
		}
		sameState(t, "purge --dry-run", state(t, data), before)

		r = mustRun(t, "purge", "--data", data)
		if !strings.Contains(r.stdout, "Deleted 1 accounts") || !strings.Contains(r.stdout, dirk) {
			t.Errorf("purge: got\n%s\nwant %s deleted", r.stdout, dirk)
		}
		wantCode(t, runCLI(t, "user", "show", dirk, "--data", data), 1)
		if _, ok := row(userList(t, data, "--all"), dirk); ok {
			t.Errorf("user list --all after the purge: got %s, want the account gone", dirk)
		}
		if _, ok := row(userList(t, data, "--all"), emil); !ok {
			t.Errorf("user list --all after the purge: got no %s, who leaves today", emil)
		}
		lines := auditRows(t, data, "--action", "purge")
		if len(lines) != 1 || lines[0].target != dirk {
			t.Errorf("protocol of the purge: got %v, want one line for %s", lines, dirk)
		}
		r = mustRun(t, "purge", "--data", data)
		if !strings.Contains(r.stdout, "Deleted 0 accounts") {
			t.Errorf("second purge: got %q, want 0 accounts", r.stdout)
		}
	})

	t.Run("forced promotion", func(t *testing.T) {
		mustRun(t, "promote", "--force", "--leaving-date", "2027-07-31", "--data", data)
		wantClasses(t, map[string]string{anna: "3a", bert: "3a", fida: "daz"})
		if got := show(t, data, cora)["status"]; !strings.Contains(got, "leaving 2027-07-31") {
			t.Errorf("status of %s: got %q, want %q", cora, got, "leaving 2027-07-31")
		}
	})

	t.Run("usage", func(t *testing.T) {
		wantCode(t, runCLI(t, "promote", "now", "--data", data), 2)
		wantCode(t, runCLI(t, "purge", "--all", "--data", data), 2)
	})
}
