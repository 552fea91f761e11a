// Package chat is the school's chat: one room per class or group and
// direct messages between people who may write to each other (pupils to
// their classmates and the teachers of their classes, staff to anyone),
// with live updates for the client, a per-person rate limit against mass
// messages and chain letters, and reports ("Melden").
//
// The usage rules say chat logs are readable by admins only after a
// message was reported. So no admin has a way into a room: the only chat
// content an admin ever sees is an open report's window (the reported
// message and up to ReportWindow messages before and after it in its
// room), and each look is written to the protocol in the same transaction
// that reads the window.
package chat

import (
	"embed"
	"io/fs"
	"time"

	"kaspel/server/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is the chat tables' schema.
var Migrations = store.Migrations{Component: "chat", FS: mustSub(migrationFiles, "migrations")}

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return s
}

// Report teacher settings: whether the reporter may, must or cannot name
// a teacher who is told about the report.
const (
	TeacherOptional = "optional"
	TeacherRequired = "required"
	TeacherOff      = "off"
)

// Config is the chat module's part of the server configuration.
type Config struct {
	// Messages a person may write per minute and per hour (usage rules:
	// no mass messages, no joke chains).
	PupilsPerMinute int `json:"pupils_per_minute"`
	PupilsPerHour   int `json:"pupils_per_hour"`
	StaffPerMinute  int `json:"staff_per_minute"`
	StaffPerHour    int `json:"staff_per_hour"`
	// ChainRooms: the same longer text may go to at most this many rooms
	// within an hour; the next one is a chain letter and refused.
	ChainRooms int `json:"chain_rooms"`
	// ReportTeacher: "optional", "required" or "off" — whether a reporter
	// names a teacher to inform.
	ReportTeacher string `json:"report_teacher"`
	// RetentionDays: messages older than this are deleted (except in rooms
	// with an open report).
	RetentionDays int `json:"retention_days"`
	// WaitSeconds bounds how long a live-update request waits for news.
	WaitSeconds int `json:"wait_seconds"`
	// MaxWaitingPerPerson and MaxWaiting bound the live-update requests
	// waiting at once, per person (two PCs, a forgotten window) and in all.
	MaxWaitingPerPerson int `json:"max_waiting_per_person"`
	MaxWaiting          int `json:"max_waiting"`
}

// DefaultConfig is what a new school starts with.
var DefaultConfig = Config{
	PupilsPerMinute: 10, PupilsPerHour: 100, StaffPerMinute: 30, StaffPerHour: 300,
	ChainRooms: 2, ReportTeacher: TeacherOptional, RetentionDays: 365,
	WaitSeconds: 25, MaxWaitingPerPerson: 4, MaxWaiting: 2000,
}

// withDefaults fills in zero values: a configuration file without a key
// must not switch a limit off.
func (c Config) withDefaults() Config {
	d := DefaultConfig
	pick := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	pick(&c.PupilsPerMinute, d.PupilsPerMinute)
	pick(&c.PupilsPerHour, d.PupilsPerHour)
	pick(&c.StaffPerMinute, d.StaffPerMinute)
	pick(&c.StaffPerHour, d.StaffPerHour)
	pick(&c.ChainRooms, d.ChainRooms)
	pick(&c.RetentionDays, d.RetentionDays)
	pick(&c.WaitSeconds, d.WaitSeconds)
	pick(&c.MaxWaitingPerPerson, d.MaxWaitingPerPerson)
	pick(&c.MaxWaiting, d.MaxWaiting)
	switch c.ReportTeacher {
	case TeacherOptional, TeacherRequired, TeacherOff:
	default:
		c.ReportTeacher = d.ReportTeacher
	}
	return c
}

// Limits of a message and of a page.
const (
	MaxBody = 2000 // characters
	MaxPage = 100
	// ReportWindow is how many messages before and after a reported one
	// its report shows to an admin.
	ReportWindow = 20
	// MaxNote bounds a reporter's free text and an admin's closing note.
	MaxNote = 500
	// maxChanges bounds the changes one live-update answer carries.
	maxChanges = 200
)

// RoomKind tells class or group rooms and direct rooms apart.
type RoomKind string

// The room kinds.
const (
	GroupRoom  RoomKind = "group"
	DirectRoom RoomKind = "direct"
)

// Person is a sender, reporter or room partner as the chat shows them.
type Person struct {
	Login string // "" for the school server (system messages) and for purged accounts
	Name  string
}

// Room is a room as one person sees it.
type Room struct {
	ID    int64
	Kind  RoomKind
	Title string // "Klasse 3a", the group's description, or the other person's name
	// Group is the class or group of a group room; With the other person
	// of a direct room.
	Group string
	With  Person
	// PupilsMayWrite is false when a teacher of the class muted the room
	// for pupils.
	PupilsMayWrite bool
	// For the person who asked:
	Unread      int
	LastMessage time.Time // zero: no messages yet
	MayWrite    bool
	MayModerate bool // a teacher of the group: may delete others' messages and mute the room
}

// Message is a message of a room.
type Message struct {
	ID      int64
	RoomID  int64
	From    Person
	Body    string // "" for a deleted message (except in a report's window)
	SentAt  time.Time
	System  bool // a notice of the server ("… hat den Raum stummgeschaltet")
	Deleted bool
	Mine    bool // the person who asked wrote it
	// Seq is the change number of the message's last change.
	Seq int64
}

// Page is a page of a room's history, oldest first. Next is the cursor
// of the page before it (older messages), 0 when there is none.
type Page struct {
	Messages []Message
	Next     int64
}

// Contact is a person the caller may start a direct chat with.
type Contact struct {
	Login   string
	Name    string
	Role    string
	Classes []string
}
