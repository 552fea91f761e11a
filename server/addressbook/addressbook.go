// Package addressbook is the school's shared address book: every
// logged-in person sees name, role, class and school mail address of
// everyone; what more a person shows (phone, ...) they choose themselves,
// and pupils show more only when an admin allows it.
package addressbook

import (
	"embed"
	"io/fs"

	"kaspel/server/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is the address book tables' schema.
var Migrations = store.Migrations{Component: "addressbook", FS: mustSub(migrationFiles, "migrations")}

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return s
}
