// Package calendar keeps the school's calendars: the public school
// calendar, one per class or group, and a personal one per person, with
// events that may recur, exported as iCalendar (RFC 5545).
package calendar

import (
	"embed"
	"io/fs"

	"kaspel/server/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is the calendar tables' schema.
var Migrations = store.Migrations{Component: "calendar", FS: mustSub(migrationFiles, "migrations")}

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return s
}
