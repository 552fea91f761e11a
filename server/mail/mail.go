// Package mail is the school's internal mail: messages between people,
// classes and role groups of the school, never outside it, with inbox,
// sent and trash folders, attachments and the rules of the usage
// regulations (no mass mail, a sending rate limit, inspection of a
// mailbox only with a recorded reason that the owner is told about).
package mail

import (
	"embed"
	"io/fs"

	"kaspel/server/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is the mail tables' schema.
var Migrations = store.Migrations{Component: "mail", FS: mustSub(migrationFiles, "migrations")}

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return s
}

// Config is the mail module's part of the server configuration.
type Config struct {
	// PupilsPerHour and StaffPerHour bound how many messages a person may
	// send per hour (usage rules: no mass mail, no chain letters).
	PupilsPerHour int `json:"pupils_per_hour"`
	StaffPerHour  int `json:"staff_per_hour"`
	// PupilRecipients bounds the single recipients of a pupil's message.
	PupilRecipients int `json:"pupil_recipients"`
}

// DefaultConfig is what a new school starts with.
var DefaultConfig = Config{PupilsPerHour: 20, StaffPerHour: 200, PupilRecipients: 10}
