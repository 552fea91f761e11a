package wire

import "time"

// Types of the files module (/api/v1/files/...); documented in
// docs/api/files.md.

// CodeQuotaExceeded answers an upload (413) that does not fit into the
// person's quota any more.
const CodeQuotaExceeded = "quota_exceeded"

// Folder tree kinds.
const (
	FilesPersonal = "personal" // "Meine Dateien": only its owner
	FilesGroup    = "group"    // a class's or group's: members read, its teachers write
	FilesDrop     = "drop"     // a class's drop folder: pupils hand in, teachers and the uploader see an upload
)

// FilesFolder is a folder as the caller sees it.
type FilesFolder struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"`
	Name   string `json:"name"` // a root's title ("Meine Dateien", "Klasse 3a", "Abgabe Klasse 3a") or a subfolder's name
	Parent int64  `json:"parent,omitempty"`
	Group  string `json:"group,omitempty"`
	// MayUpload: the caller may store files here; MayWrite: make, rename
	// and delete subfolders and change others' files.
	MayUpload bool `json:"may_upload"`
	MayWrite  bool `json:"may_write"`
}

// FilesPerson is who stored a file.
type FilesPerson struct {
	Login string `json:"login"`
	Name  string `json:"name"`
}

// FilesFile is a stored file as the caller sees it.
type FilesFile struct {
	ID        int64       `json:"id"`
	Folder    int64       `json:"folder"`
	Name      string      `json:"name"`
	Size      int64       `json:"size"`
	Owner     FilesPerson `json:"owner"`
	CreatedAt time.Time   `json:"created_at"`
	UpdatedAt time.Time   `json:"updated_at"`
	Mine      bool        `json:"mine"`
	MayChange bool        `json:"may_change"` // rename, move, delete
}

// FilesUsage is the caller's used space and quota in bytes.
type FilesUsage struct {
	Used  int64 `json:"used"`
	Quota int64 `json:"quota"`
}

// FilesRoots is GET /api/v1/files/folders.
type FilesRoots struct {
	Folders []FilesFolder `json:"folders"`
	Usage   FilesUsage    `json:"usage"`
}

// FilesListing is GET /api/v1/files/folders/{id}.
type FilesListing struct {
	Folder  FilesFolder   `json:"folder"`
	Path    []FilesFolder `json:"path"` // from the root down to folder
	Folders []FilesFolder `json:"folders"`
	Files   []FilesFile   `json:"files"`
}

// FilesNewFolder is POST /api/v1/files/folders/{id}/folders.
type FilesNewFolder struct {
	Name string `json:"name"`
}

// FilesFolderChange is PATCH /api/v1/files/folders/{id}: renames a subfolder.
type FilesFolderChange struct {
	Name string `json:"name"`
}

// FilesFileChange is PATCH /api/v1/files/files/{id}: a new name and/or
// another folder of the same tree; missing fields stay.
type FilesFileChange struct {
	Name   string `json:"name,omitempty"`
	Folder int64  `json:"folder,omitempty"`
}

// FilesFromMail is POST /api/v1/files/from-mail: save an attachment of a
// mail in the caller's mailbox into a folder (0: "Meine Dateien").
type FilesFromMail struct {
	MessageID    int64 `json:"message_id"`
	AttachmentID int64 `json:"attachment_id"`
	Folder       int64 `json:"folder,omitempty"`
}
