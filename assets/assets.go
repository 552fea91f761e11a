// Package assets embeds the files people see or that seed a school:
// translations (German first, English second; one file per area and
// language, e.g. client.de.json), demo school data, icons, and later label
// templates. Both the server and the client read
// them from here, so a binary needs no files beside it.
package assets

import "embed"

// FS holds the assets.
//
//go:embed translations/*.json demo/*.txt icons/*.svg
var FS embed.FS
