// Package homework is the school's homework (Hausaufgaben): a teacher
// sets homework for a class or group with a text, worksheets, a start and
// a due date; pupils see it from its start, mark their progress, hand in
// text and files, and get short feedback; teachers see who handed in what
// and an overview per class.
//
// The rules of the usage regulations live here: the start of a homework
// is never in the past (it is announced in class), the due date leaves
// the pupils at least Config.MinSchoolDays school days ("angemessener
// Bearbeitungszeitraum"), files are at most wire.MaxUpload bytes each, and
// nobody but the pupil and the homework's teachers sees a hand-in.
package homework

import (
	"embed"
	"io/fs"
	"time"

	"kaspel/server/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is the homework tables' schema.
var Migrations = store.Migrations{Component: "homework", FS: mustSub(migrationFiles, "migrations")}

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return s
}

// Config is the homework module's part of the server configuration.
type Config struct {
	// MinSchoolDays is the shortest working period the school allows:
	// the due date lies at least this many school days after the start
	// (usage rules: "angemessener Bearbeitungszeitraum").
	MinSchoolDays int `json:"min_school_days"`
	// Holidays are the days without school besides weekends: single days
	// ("2026-10-03") or ranges ("2026-12-23/2027-01-06", both included).
	// They do not count as school days, and nothing is due on them.
	Holidays []string `json:"holidays,omitempty"`
}

// DefaultConfig is what a new school starts with.
var DefaultConfig = Config{MinSchoolDays: 2}

// berlin is the school's time zone: dates of homework are its days.
var berlin = func() *time.Location {
	l, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return l
}()
