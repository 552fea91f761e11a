// Package assets embeds the files people see or that seed a school:
// translations (German first, English second), demo school data, and
// later icons and label templates. Both the server and the client read
// them from here, so a binary needs no files beside it.
package assets

import "embed"

// FS holds the assets.
//
//go:embed translations/*.json demo/*.txt
var FS embed.FS
