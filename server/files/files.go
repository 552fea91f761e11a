// Package files keeps people's files on the school server: a personal
// folder per person ("Meine Dateien", with subfolders), a folder per class
// or group (its teachers write, its members read) and a drop folder per
// class where pupils hand in work that only the class's teachers and the
// uploader see.
//
// It enforces the usage rules on what is stored: uploads over 20 MB are
// refused before they are stored (and cut off while streaming when no
// length is given), every person has a quota by role, pupils may not store
// programs or scripts (no foreign software: by file name and by content),
// and file names are made safe for Windows and Linux PCs. Contents live in
// the blob store; the tables hold names, sizes and hashes.
package files

import (
	"embed"
	"io/fs"
	"time"

	"kaspel/server/directory"
	"kaspel/server/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is the files tables' schema.
var Migrations = store.Migrations{Component: "files", FS: mustSub(migrationFiles, "migrations")}

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return s
}

// Config is the files module's part of the server configuration: the
// quota of each role in MB (the sum of what a person stored anywhere).
type Config struct {
	PupilQuotaMB     int64 `json:"pupil_quota_mb"`
	TeacherQuotaMB   int64 `json:"teacher_quota_mb"`
	SecretaryQuotaMB int64 `json:"secretary_quota_mb"`
	AdminQuotaMB     int64 `json:"admin_quota_mb"`
}

// DefaultConfig is what a new school starts with.
var DefaultConfig = Config{PupilQuotaMB: 100, TeacherQuotaMB: 2048, SecretaryQuotaMB: 2048, AdminQuotaMB: 2048}

// withDefaults fills in zero values: a configuration file without a key
// must not give anyone an unlimited (or no) quota.
func (c Config) withDefaults() Config {
	d := DefaultConfig
	pick := func(v *int64, def int64) {
		if *v <= 0 {
			*v = def
		}
	}
	pick(&c.PupilQuotaMB, d.PupilQuotaMB)
	pick(&c.TeacherQuotaMB, d.TeacherQuotaMB)
	pick(&c.SecretaryQuotaMB, d.SecretaryQuotaMB)
	pick(&c.AdminQuotaMB, d.AdminQuotaMB)
	return c
}

// Quota is a role's quota in bytes.
func (c Config) Quota(r directory.Role) int64 {
	c = c.withDefaults()
	switch r {
	case directory.Pupil:
		return c.PupilQuotaMB << 20
	case directory.Teacher:
		return c.TeacherQuotaMB << 20
	case directory.Secretary:
		return c.SecretaryQuotaMB << 20
	}
	return c.AdminQuotaMB << 20
}

// Bounds that keep one person from filling the database with rows.
const (
	MaxDepth   = 8      // subfolder levels below a root
	MaxFolders = 1000   // folders in one tree
	MaxFiles   = 10_000 // files of one person
)

// Kind is what a folder tree belongs to.
type Kind string

// The kinds of folder trees.
const (
	Personal Kind = "personal" // a person's own: only they see it
	Group    Kind = "group"    // a class's or group's: members read, its teachers write
	Drop     Kind = "drop"     // a class's drop folder: members hand in, its teachers and the uploader see an upload
)

// Person is an uploader as the files list shows them.
type Person struct {
	Login string
	Name  string
}

// Folder is a folder as one person sees it.
type Folder struct {
	ID       int64
	Kind     Kind
	Name     string // a subfolder's name, or a root's title ("Meine Dateien", "Klasse 3a", "Abgabe Klasse 3a")
	ParentID int64  // 0 for a root
	Group    string // the class or group of a group or drop tree
	// For the person who asked:
	MayUpload bool // store files here
	MayWrite  bool // make, rename and delete subfolders, change others' files
}

// File is a stored file as one person sees it.
type File struct {
	ID        int64
	FolderID  int64
	Name      string
	Size      int64
	Hash      string // the blob
	Owner     Person // who stored it
	CreatedAt time.Time
	UpdatedAt time.Time
	// For the person who asked:
	Mine      bool
	MayChange bool // rename, move, delete
}

// Listing is a folder's content: its path from the root, its subfolders
// and the files the person may see.
type Listing struct {
	Folder  Folder
	Path    []Folder // from the root down to Folder
	Folders []Folder
	Files   []File
}

// Usage is how much of their quota a person uses.
type Usage struct {
	Used  int64
	Quota int64
}
