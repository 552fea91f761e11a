// Package forum is the school's forums: one per class or group, read and
// written by its members, and school-wide ones the admins create. People
// open topics and answer in posts; moderators, named per forum, hide
// posts (reversibly) or delete them with a reason. The usage rules let a
// moderator do so only in the forums they moderate, and a deleted post
// goes to the protocol (text and author), where only the holders of the
// protocol right read it.
package forum

import (
	"embed"
	"io/fs"
	"time"

	"kaspel/server/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is the forum tables' schema.
var Migrations = store.Migrations{Component: "forum", FS: mustSub(migrationFiles, "migrations")}

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return s
}

// Config is the forum module's part of the server configuration.
type Config struct {
	// PupilPostsPerHour and StaffPostsPerHour bound how many posts (new
	// topics included) a person may write per hour: a brake on flooding
	// a class's forum.
	PupilPostsPerHour int `json:"pupil_posts_per_hour"`
	StaffPostsPerHour int `json:"staff_posts_per_hour"`
}

// DefaultConfig is what a new school starts with.
var DefaultConfig = Config{PupilPostsPerHour: 30, StaffPostsPerHour: 200}

// berlin is the school's time zone, for times in messages.
var berlin = func() *time.Location {
	l, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return l
}()
