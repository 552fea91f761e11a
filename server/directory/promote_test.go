package directory_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"kaspel/server/audit"
	"kaspel/server/directory"
)

func moves(ms []directory.Move) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Login+":"+m.From+">"+m.To)
	}
	slices.Sort(out)
	return out
}

// school makes a small school at the end of the school year 2026/27.
func school(t *testing.T) *env {
	e := newEnv(t)
	e.clock.date(t, "2027-07-01")
	e.pupil("Anna", "Müller", "1a")
	e.pupil("Ben", "Schäfer", "3b")
	e.pupil("Carla", "Roth", "4a")
	e.pupil("Dora", "Klein", "2a")
	e.pupil("Emil", "Öztürk", "DaZ")
	e.pupil("Finn", "Ohne", "")
	e.pupil("Greta", "Lang", "4a")
	e.pupil("Hugo", "Alt", "1a") // left before the promotion
	e.add("Carl", "Berg", directory.Teacher, "1a", "4a")
	must(t, e.dir.HoldBack(e.ctx, admin, "dora.klein", true))
	must(t, e.dir.HoldBack(e.ctx, admin, "greta.lang", true))
	must(t, e.dir.SetLeaving(e.ctx, admin, "hugo.alt", "2027-03-31"))
	return e
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestPromote(t *testing.T) {
	e := school(t)
	rep, err := e.dir.Promote(e.ctx, admin, directory.PromoteOptions{LeavingDate: "2027-07-31"})
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want []string
	}{
		{"promoted", moves(rep.Promoted), []string{"anna.mueller:1a>2a", "ben.schaefer:3b>4b"}},
		{"held back", moves(rep.HeldBack), []string{"dora.klein:2a>2a", "greta.lang:4a>4a"}},
		{"leavers", moves(rep.Leavers), []string{"carla.roth:4a>"}},
		{"skipped", moves(rep.Skipped), []string{"emil.oeztuerk:daz>", "finn.ohne:>"}},
	}
	for _, c := range checks {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	classes := []struct {
		login string
		want  []string
	}{
		{"anna.mueller", []string{"2a"}},
		{"ben.schaefer", []string{"4b"}},
		{"carla.roth", nil},
		{"dora.klein", []string{"2a"}},
		{"emil.oeztuerk", []string{"daz"}},
		{"finn.ohne", nil},
		{"greta.lang", []string{"4a"}},
		{"hugo.alt", []string{"1a"}}, // a leaver is not promoted
		{"carl.berg", []string{"1a", "4a"}},
	}
	for _, c := range classes {
		if got := e.classes(c.login); !slices.Equal(got, c.want) {
			t.Errorf("classes of %s = %v, want %v", c.login, got, c.want)
		}
	}
	carla := e.person("carla.roth")
	if carla.LeavingDate != "2027-07-31" || carla.FormerClass != "4a" {
		t.Errorf("leaver: leaving date %q, former class %q, want 2027-07-31 and 4a", carla.LeavingDate, carla.FormerClass)
	}
	for _, l := range []string{"dora.klein", "greta.lang"} {
		if e.person(l).HoldBack {
			t.Errorf("%s: hold-back mark not cleared", l)
		}
	}
	if p := e.person("greta.lang"); p.LeavingDate != "" {
		t.Errorf("held back 4th grader has leaving date %q, want none", p.LeavingDate)
	}
	lines := e.audit(audit.Query{Action: "promote"})
	if len(lines) != 1 || lines[0].Actor != "cli:root" || !strings.Contains(lines[0].Detail, "2 promoted, 2 held back, 1 leavers") ||
		!strings.Contains(lines[0].Detail, "carla.roth") {
		t.Errorf("promote protocol = %+v, want one line with the counts and the leaver", lines)
	}

	// The leaver logs in until the leaving date, then no more.
	must(t, e.dir.ChangePassword(e.ctx, directory.Actor{Name: "carla.roth"}, "carla.roth", "Sonne-Hase-47"))
	e.clock.date(t, "2027-07-31")
	if _, err := e.login("carla.roth", "Sonne-Hase-47"); err != nil {
		t.Errorf("leaver on the leaving day: %v", err)
	}
	e.clock.date(t, "2027-08-01")
	if _, err := e.login("carla.roth", "Sonne-Hase-47"); !errors.Is(err, directory.ErrLeft) {
		t.Errorf("leaver after the leaving day = %v, want ErrLeft", err)
	}
}

func TestPromoteDefaultLeavingDate(t *testing.T) {
	e := school(t)
	if _, err := e.dir.Promote(e.ctx, admin, directory.PromoteOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := e.person("carla.roth").LeavingDate; got != "2027-07-01" {
		t.Errorf("leaving date = %q, want today 2027-07-01", got)
	}
	if _, err := e.dir.Promote(e.ctx, admin, directory.PromoteOptions{LeavingDate: "31.07.2027", Force: true}); !errors.Is(err, directory.ErrInvalid) {
		t.Errorf("Promote(bad date) = %v, want ErrInvalid", err)
	}
}

func TestPromoteDryRun(t *testing.T) {
	e := school(t)
	before := e.snapshot()
	dry, err := e.dir.Promote(e.ctx, admin, directory.PromoteOptions{DryRun: true, LeavingDate: "2027-07-31"})
	if err != nil {
		t.Fatal(err)
	}
	if after := e.snapshot(); after != before {
		t.Errorf("the dry run changed the database:\n%s\nwant:\n%s", after, before)
	}
	if got := moves(dry.Promoted); !slices.Equal(got, []string{"anna.mueller:1a>2a", "ben.schaefer:3b>4b"}) {
		t.Errorf("dry run promoted = %v", got)
	}
	// A dry run does not count as the year's promotion.
	real, err := e.dir.Promote(e.ctx, admin, directory.PromoteOptions{LeavingDate: "2027-07-31"})
	if err != nil {
		t.Fatalf("Promote after a dry run: %v", err)
	}
	for _, pair := range [][2][]directory.Move{{dry.Promoted, real.Promoted}, {dry.HeldBack, real.HeldBack}, {dry.Leavers, real.Leavers}, {dry.Skipped, real.Skipped}} {
		if !slices.Equal(moves(pair[0]), moves(pair[1])) {
			t.Errorf("dry run %v, real run %v, want the same", moves(pair[0]), moves(pair[1]))
		}
	}
}

func TestPromoteTwice(t *testing.T) {
	e := school(t)
	if _, err := e.dir.Promote(e.ctx, admin, directory.PromoteOptions{}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		after   time.Duration
		force   bool
		wantErr error
	}{
		{0, false, directory.ErrPromotedRecently},
		{179 * 24 * time.Hour, false, directory.ErrPromotedRecently},
		{179 * 24 * time.Hour, true, nil},
	}
	start := e.clock.now()
	for _, tt := range tests {
		e.clock.set(start.Add(tt.after))
		before := e.snapshot()
		_, err := e.dir.Promote(e.ctx, admin, directory.PromoteOptions{Force: tt.force})
		wantErr(t, "second promotion", err, tt.wantErr)
		if tt.wantErr != nil && e.snapshot() != before {
			t.Errorf("a refused promotion changed the database")
		}
	}
	// anna: 1a, promoted to 2a, forced to 3a.
	if got := e.classes("anna.mueller"); !slices.Equal(got, []string{"3a"}) {
		t.Errorf("classes after the forced second run = %v, want [3a]", got)
	}
	// A year later it runs without force.
	e.clock.set(start.Add(365 * 24 * time.Hour))
	if _, err := e.dir.Promote(e.ctx, admin, directory.PromoteOptions{}); err != nil {
		t.Errorf("promotion a year later: %v", err)
	}
	if got := e.classes("anna.mueller"); !slices.Equal(got, []string{"4a"}) {
		t.Errorf("classes a year later = %v, want [4a]", got)
	}
}

func TestPurge(t *testing.T) {
	e := newEnv(t) // purge_grace_days 90
	left := e.pupil("Anna", "Müller", "4a")
	recent := e.pupil("Ben", "Schäfer", "4a")
	stays := e.pupil("Carla", "Roth", "3a")
	teacher, _ := e.add("Carl", "Berg", directory.Teacher, "4a")
	must(t, e.dir.RecordConsent(e.ctx, admin, left, "Maria Müller", "2026-08-01"))
	must(t, e.dir.RecordConsent(e.ctx, admin, recent, "Eva Schäfer", "2026-08-01"))
	must(t, e.dir.SetRight(e.ctx, admin, teacher.Login, directory.RightProtocol, true))
	must(t, e.dir.SetLeaving(e.ctx, admin, left, "2027-07-31"))
	must(t, e.dir.SetLeaving(e.ctx, admin, teacher.Login, "2027-07-31"))
	must(t, e.dir.SetLeaving(e.ctx, admin, recent, "2027-08-01"))
	ids := map[string]int64{}
	for _, l := range []string{left, recent, stays, teacher.Login} {
		ids[l] = e.person(l).ID
	}

	// 90 days after 2027-07-31 is 2027-10-29: still kept that day.
	e.clock.date(t, "2027-10-29")
	gone, err := e.dir.Purge(e.ctx, admin, directory.PurgeOptions{})
	if err != nil || len(gone) != 0 {
		t.Fatalf("Purge on the last day of the grace period = %v, %v, want nobody", gone, err)
	}

	e.clock.date(t, "2027-10-30")
	before := e.snapshot()
	dry, err := e.dir.Purge(e.ctx, admin, directory.PurgeOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if after := e.snapshot(); after != before {
		t.Errorf("the dry run changed the database")
	}
	gone, err = e.dir.Purge(e.ctx, admin, directory.PurgeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var logins, dryLogins []string
	for _, p := range gone {
		logins = append(logins, p.Login)
	}
	for _, p := range dry {
		dryLogins = append(dryLogins, p.Login)
	}
	want := []string{"anna.mueller", "carl.berg"}
	if !slices.Equal(logins, want) || !slices.Equal(dryLogins, want) {
		t.Errorf("purged %v (dry run %v), want %v", logins, dryLogins, want)
	}
	for _, l := range []string{left, teacher.Login} {
		if n := e.count(`SELECT COUNT(*) FROM people WHERE login = ?`, l); n != 0 {
			t.Errorf("%s still exists", l)
		}
		for _, table := range []string{"memberships", "consents", "rights"} {
			if n := e.count(`SELECT COUNT(*) FROM `+table+` WHERE person_id = ?`, ids[l]); n != 0 {
				t.Errorf("%s: %d rows of %s left, want 0 (cascade)", l, n, table)
			}
		}
		if lines := e.audit(audit.Query{Action: "purge", Target: l}); len(lines) != 1 || lines[0].Actor != "cli:root" {
			t.Errorf("purge protocol of %s = %+v, want one line by cli:root", l, lines)
		}
	}
	if n := len(e.audit(audit.Query{Action: "purge"})); n != 2 {
		t.Errorf("purge lines: %d, want 2", n)
	}
	for _, l := range []string{recent, stays} {
		e.person(l)
	}
	if n := e.count(`SELECT COUNT(*) FROM consents WHERE person_id = ?`, ids[recent]); n != 1 {
		t.Errorf("consents of a kept leaver: %d, want 1", n)
	}
	if got := e.classes(stays); !slices.Equal(got, []string{"3a"}) {
		t.Errorf("classes of a kept pupil = %v, want [3a]", got)
	}
	// uid numbers never go back: the next pupil gets a new one.
	p, _ := e.add("Neu", "Kind", directory.Pupil, "1a")
	if p.UIDNumber <= teacher.UIDNumber {
		t.Errorf("new uid %d, want above the purged %d", p.UIDNumber, teacher.UIDNumber)
	}
}

func TestPurgeGraceZero(t *testing.T) {
	e := newEnv(t, func(c *directory.Config) { c.PurgeGraceDays = 0 })
	anna := e.pupil("Anna", "Müller", "4a")
	must(t, e.dir.SetLeaving(e.ctx, admin, anna, "2026-08-20"))
	if gone, _ := e.dir.Purge(e.ctx, admin, directory.PurgeOptions{}); len(gone) != 0 {
		t.Errorf("purged on the leaving day: %v, want nobody", gone)
	}
	e.clock.date(t, "2026-08-21")
	if gone, _ := e.dir.Purge(e.ctx, admin, directory.PurgeOptions{}); len(gone) != 1 {
		t.Errorf("purged the day after with no grace: %v, want anna", gone)
	}
}
