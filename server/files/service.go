package files

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"kaspel/server/blobs"
	"kaspel/server/directory"
	"kaspel/server/store"
	"kaspel/shared/wire"
)

// Directory is what the files module reads from the school's directory:
// who is in which class or group. The module never queries the
// directory's tables itself.
type Directory interface {
	MemberGroups(ctx context.Context, personID int64) ([]directory.Group, error)
	GroupByID(ctx context.Context, id int64) (directory.Group, error)
}

var _ Directory = (*directory.Directory)(nil)

// Service is the files module. It is safe for concurrent use.
type Service struct {
	db    *store.DB
	dir   Directory
	blobs *blobs.Store
	cfg   Config
	now   func() time.Time
}

// New makes the files service. Zero quotas in cfg take the defaults.
func New(db *store.DB, dir Directory, bl *blobs.Store, cfg Config) (*Service, error) {
	if db == nil || dir == nil || bl == nil {
		return nil, errors.New("files: needs the database, the directory and the blob store")
	}
	return &Service{db: db, dir: dir, blobs: bl, cfg: cfg.withDefaults(), now: time.Now}, nil
}

// SetClock replaces the clock, for tests.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// grants are what one person may see, read once per request.
type grants struct {
	me     directory.Person
	groups map[int64]directory.Group // the classes and groups they are in
}

func (s *Service) grantsOf(ctx context.Context, me directory.Person) (*grants, error) {
	groups, err := s.dir.MemberGroups(ctx, me.ID)
	if err != nil {
		return nil, fmt.Errorf("files: groups of %s: %w", me.Login, err)
	}
	g := &grants{me: me, groups: map[int64]directory.Group{}}
	for _, gr := range groups {
		g.groups[gr.ID] = gr
	}
	return g, nil
}

// access says what the person may do in a folder: a personal tree is its
// owner's alone (not even an admin's); a class's or group's folder its
// members read and the teachers among them write; a class's drop folder
// its members read (pupils see their own uploads only) and upload to, and
// its teachers moderate.
func (g *grants) access(f folderRow) (read, upload, write bool) {
	switch f.kind {
	case Personal:
		own := f.ownerID == g.me.ID
		return own, own, own
	case Group:
		_, member := g.groups[f.groupID]
		teacher := member && g.me.Role == directory.Teacher
		return member, teacher, teacher
	case Drop:
		_, member := g.groups[f.groupID]
		return member, member, member && g.me.Role == directory.Teacher
	}
	return false, false, false
}

// fileAccess says whether the person sees a file and may change it. A
// drop folder's uploads are seen by the class's teachers and the uploader
// only. What a person stored they always see and may delete, also after
// leaving the class (it counts against their quota).
func (g *grants) fileAccess(f folderRow, file fileRow) (see, change bool) {
	own := file.ownerID == g.me.ID
	read, _, write := g.access(f)
	switch f.kind {
	case Personal:
		return read, read
	case Group:
		return read || own, write || own
	case Drop:
		return write || own, write || own
	}
	return false, false
}

func isPupil(p directory.Person) bool { return p.Role == directory.Pupil }

// The refusals of the rules on content.
var (
	errProgram = refuse(Forbidden, "file", "Programme und Skripte darfst du nicht speichern (Nutzungsordnung: keine fremde Software).",
		"program or script refused for a pupil")
	errTooLarge = refuse(TooLarge, "file", fmt.Sprintf("Die Datei ist zu groß: höchstens %d MB sind erlaubt.", wire.MaxUpload>>20),
		"upload over the limit")
)

func (s *Service) quotaError(used, quota int64) *Error {
	return refuse(QuotaExceeded, "file", fmt.Sprintf("Dein Speicherplatz reicht dafür nicht: Du nutzt %s von %s. Lösche zuerst etwas.",
		human(used), human(quota)), "quota of %d bytes exceeded (%d used)", quota, used)
}

// human writes a size the German way: "12,5 MB".
func human(n int64) string {
	switch {
	case n >= 1<<30:
		return strings.Replace(fmt.Sprintf("%.1f GB", float64(n)/(1<<30)), ".", ",", 1)
	case n >= 1<<20:
		return strings.Replace(fmt.Sprintf("%.1f MB", float64(n)/(1<<20)), ".", ",", 1)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d Bytes", n)
}

// groupTitle is how a class or group is called.
func groupTitle(g directory.Group) string {
	if g.Kind == directory.KindClass {
		return "Klasse " + g.Name
	}
	if g.Description != "" {
		return g.Description
	}
	return g.Name
}

// describe makes a folder row into the Folder the person sees.
func (s *Service) describe(ctx context.Context, g *grants, f folderRow) (Folder, error) {
	_, upload, write := g.access(f)
	out := Folder{ID: f.id, Kind: f.kind, Name: f.name, ParentID: f.parentID, MayUpload: upload, MayWrite: write}
	if f.kind != Personal {
		grp, ok := g.groups[f.groupID]
		if !ok {
			var err error
			if grp, err = s.dir.GroupByID(ctx, f.groupID); err != nil {
				return out, fmt.Errorf("files: group of folder %d: %w", f.id, err)
			}
		}
		out.Group = grp.Name
		if f.parentID == 0 {
			out.Name = groupTitle(grp)
			if f.kind == Drop {
				out.Name = "Abgabe " + out.Name
			}
		}
	} else if f.parentID == 0 {
		out.Name = "Meine Dateien"
	}
	return out, nil
}

func (g *grants) describeFile(f folderRow, file fileRow) File {
	_, change := g.fileAccess(f, file)
	return File{ID: file.id, FolderID: file.folderID, Name: file.name, Size: file.size, Hash: file.hash,
		Owner: Person{Login: file.ownerLogin, Name: file.ownerName}, CreatedAt: file.createdAt, UpdatedAt: file.updatedAt,
		Mine: file.ownerID == g.me.ID, MayChange: change}
}

// Roots lists the tops of the trees the person sees — their own folder,
// the folder of each class and group they are in, and the drop folder of
// each class — creating those that do not exist yet.
func (s *Service) Roots(ctx context.Context, me directory.Person) ([]Folder, error) {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return nil, err
	}
	type key struct {
		kind  Kind
		group int64
	}
	want := []key{{Personal, 0}}
	gids := make([]int64, 0, len(g.groups))
	for id, grp := range g.groups {
		gids = append(gids, id)
		want = append(want, key{Group, id})
		if grp.Kind == directory.KindClass {
			want = append(want, key{Drop, id})
		}
	}
	rows, err := roots(ctx, s.db.R, me.ID, gids)
	if err != nil {
		return nil, err
	}
	have := map[key]bool{}
	for _, r := range rows {
		have[key{r.kind, r.groupID}] = true
	}
	var missing []key
	for _, k := range want {
		if !have[k] {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		err := s.db.Tx(ctx, func(tx *sql.Tx) error {
			for _, k := range missing {
				owner := int64(0)
				if k.kind == Personal {
					owner = me.ID
				}
				if err := insertRoot(ctx, tx, k.kind, owner, k.group, s.now()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if rows, err = roots(ctx, s.db.R, me.ID, gids); err != nil {
			return nil, err
		}
	}
	out := make([]Folder, 0, len(rows))
	for _, r := range rows {
		f, err := s.describe(ctx, g, r)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	col := collate.New(language.German, collate.IgnoreCase)
	slices.SortStableFunc(out, func(a, b Folder) int {
		if (a.Kind == Personal) != (b.Kind == Personal) {
			if a.Kind == Personal {
				return -1
			}
			return 1
		}
		if c := col.CompareString(a.Group, b.Group); c != 0 {
			return c
		}
		return strings.Compare(string(b.Kind), string(a.Kind)) // a group's folder before its drop folder
	})
	return out, nil
}

// Home returns the person's own root folder ("Meine Dateien"), where a
// file saved from elsewhere lands when no folder is named.
func (s *Service) Home(ctx context.Context, me directory.Person) (Folder, error) {
	list, err := s.Roots(ctx, me)
	if err != nil {
		return Folder{}, err
	}
	for _, f := range list {
		if f.Kind == Personal {
			return f, nil
		}
	}
	return Folder{}, fmt.Errorf("files: no own folder for %s", me.Login)
}

// readable loads a folder the person may read; others are ErrNoFolder,
// whether they exist or not.
func (s *Service) readable(ctx context.Context, q querier, g *grants, id int64) (folderRow, error) {
	f, err := folderByID(ctx, q, id)
	if err != nil {
		return f, err
	}
	if read, _, _ := g.access(f); !read {
		return f, ErrNoFolder
	}
	return f, nil
}

// Listing returns a folder's path, subfolders and the files the person
// may see in it.
func (s *Service) Listing(ctx context.Context, me directory.Person, folderID int64) (Listing, error) {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return Listing{}, err
	}
	f, err := s.readable(ctx, s.db.R, g, folderID)
	if err != nil {
		return Listing{}, err
	}
	var out Listing
	if out.Folder, err = s.describe(ctx, g, f); err != nil {
		return out, err
	}
	path, err := folderPath(ctx, s.db.R, f.id)
	if err != nil {
		return out, err
	}
	for _, p := range path {
		d, err := s.describe(ctx, g, p)
		if err != nil {
			return out, err
		}
		out.Path = append(out.Path, d)
	}
	subs, err := subfolders(ctx, s.db.R, f.id)
	if err != nil {
		return out, err
	}
	out.Folders = []Folder{}
	for _, sub := range subs {
		d, err := s.describe(ctx, g, sub)
		if err != nil {
			return out, err
		}
		out.Folders = append(out.Folders, d)
	}
	scope := int64(0)
	if _, _, write := g.access(f); f.kind == Drop && !write {
		scope = me.ID // a pupil sees their own uploads only
	}
	list, err := filesIn(ctx, s.db.R, f.id, scope)
	if err != nil {
		return out, err
	}
	out.Files = make([]File, len(list))
	for i, file := range list {
		out.Files[i] = g.describeFile(f, file)
	}
	return out, nil
}

// writable loads a folder the person may write (subfolders, others'
// files); one they may only read is Forbidden, one they may not read
// ErrNoFolder.
func (s *Service) writable(ctx context.Context, q querier, g *grants, id int64) (folderRow, error) {
	f, err := s.readable(ctx, q, g, id)
	if err != nil {
		return f, err
	}
	if _, _, write := g.access(f); !write {
		return f, refuse(Forbidden, "", "Hier dürfen nur Lehrkräfte der Klasse oder Gruppe etwas ändern.", "%s may not change folder %d", g.me.Login, f.id)
	}
	return f, nil
}

// CreateFolder makes a subfolder in a folder the person may write
// (their own, or a class's or group's as its teacher). Drop folders have
// none.
func (s *Service) CreateFolder(ctx context.Context, me directory.Person, parentID int64, name string) (Folder, error) {
	name, err := CleanName(name)
	if err != nil {
		return Folder{}, err
	}
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return Folder{}, err
	}
	parent, err := s.writable(ctx, s.db.R, g, parentID)
	if err != nil {
		return Folder{}, err
	}
	if parent.kind == Drop {
		return Folder{}, refuse(Invalid, "", "Im Abgabeordner gibt es keine Unterordner.", "subfolder of a drop folder")
	}
	var id int64
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		path, err := folderPath(ctx, tx, parent.id)
		if err != nil {
			return err
		}
		if len(path) > MaxDepth {
			return refuse(Invalid, "", fmt.Sprintf("Mehr als %d Ebenen von Unterordnern gehen nicht.", MaxDepth), "folder depth %d", len(path))
		}
		n, err := treeFolders(ctx, tx, parent)
		if err != nil {
			return err
		}
		if n >= MaxFolders {
			return refuse(Invalid, "", fmt.Sprintf("Hier gibt es schon %d Ordner. Lösche zuerst welche.", MaxFolders), "%d folders in the tree", n)
		}
		if err := s.free(ctx, tx, parent, 0, name, 0, 0); err != nil {
			return err
		}
		id, err = insertFolder(ctx, tx, parent, name, s.now())
		return err
	})
	if err != nil {
		return Folder{}, err
	}
	f, err := folderByID(ctx, s.db.R, id)
	if err != nil {
		return Folder{}, err
	}
	return s.describe(ctx, g, f)
}

// free refuses a name that a file or subfolder of the folder has already.
func (s *Service) free(ctx context.Context, q querier, f folderRow, scope int64, name string, exceptFile, exceptFolder int64) error {
	taken, err := nameTaken(ctx, q, f.id, scope, name, exceptFile, exceptFolder)
	if err != nil {
		return err
	}
	if taken {
		return refuse(Conflict, "name", fmt.Sprintf("„%s“ gibt es hier schon. Bitte wähle einen anderen Namen.", name), "name %q taken", name)
	}
	return nil
}

// RenameFolder renames a subfolder (roots keep their title).
func (s *Service) RenameFolder(ctx context.Context, me directory.Person, folderID int64, name string) (Folder, error) {
	name, err := CleanName(name)
	if err != nil {
		return Folder{}, err
	}
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return Folder{}, err
	}
	f, err := s.writable(ctx, s.db.R, g, folderID)
	if err != nil {
		return Folder{}, err
	}
	if f.parentID == 0 {
		return Folder{}, refuse(Conflict, "", "Dieser Ordner gehört zur Schule und lässt sich nicht umbenennen.", "rename of a root")
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		parent, err := folderByID(ctx, tx, f.parentID)
		if err != nil {
			return err
		}
		if err := s.free(ctx, tx, parent, 0, name, 0, f.id); err != nil {
			return err
		}
		return renameFolder(ctx, tx, f.id, name)
	})
	if err != nil {
		return Folder{}, err
	}
	f.name = name
	return s.describe(ctx, g, f)
}

// DeleteFolder deletes a subfolder with everything in it (roots stay).
func (s *Service) DeleteFolder(ctx context.Context, me directory.Person, folderID int64) error {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return err
	}
	f, err := s.writable(ctx, s.db.R, g, folderID)
	if err != nil {
		return err
	}
	if f.parentID == 0 {
		return refuse(Conflict, "", "Dieser Ordner gehört zur Schule und lässt sich nicht löschen.", "delete of a root")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error { return deleteFolder(ctx, tx, f.id) })
}

// uploadable loads a folder the person may store files in.
func (s *Service) uploadable(ctx context.Context, g *grants, folderID int64) (folderRow, error) {
	f, err := s.readable(ctx, s.db.R, g, folderID)
	if err != nil {
		return f, err
	}
	if _, upload, _ := g.access(f); !upload {
		return f, refuse(Forbidden, "", "Hier dürfen nur Lehrkräfte der Klasse oder Gruppe Dateien ablegen.", "%s may not upload to folder %d", g.me.Login, f.id)
	}
	return f, nil
}

// Upload stores a file in a folder. The content streams from r to the
// blob store; size is its announced length (-1: unknown). Refused before
// a byte is stored: a folder the person may not store in, a program's
// name for a pupil, an announced size over 20 MB or over the quota.
// Refused where the stream crosses the limit: more than 20 MB or more
// than the quota leaves. Refused after: a pupil's file whose content is a
// program (its blob goes with the next sweep). A name taken in the folder
// gets a number: "Bild (2).png".
func (s *Service) Upload(ctx context.Context, me directory.Person, folderID int64, name string, size int64, r io.Reader) (File, error) {
	name, err := CleanName(name)
	if err != nil {
		return File{}, err
	}
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return File{}, err
	}
	f, err := s.uploadable(ctx, g, folderID)
	if err != nil {
		return File{}, err
	}
	if isPupil(me) && ExecutableName(name) {
		return File{}, errProgram
	}
	if size > wire.MaxUpload {
		return File{}, errTooLarge
	}
	quota := s.cfg.Quota(me.Role)
	used, _, err := usedBy(ctx, s.db.R, me.ID)
	if err != nil {
		return File{}, err
	}
	if room := quota - used; room <= 0 || size > room {
		return File{}, s.quotaError(used, quota)
	}
	limit, byQuota := int64(wire.MaxUpload), false
	if room := quota - used; room < limit {
		limit, byQuota = room, true
	}
	hr := &headReader{r: r}
	b, err := s.blobs.Put(hr, limit)
	switch {
	case errors.Is(err, blobs.ErrTooLarge) && byQuota:
		return File{}, s.quotaError(used, quota)
	case errors.Is(err, blobs.ErrTooLarge):
		return File{}, errTooLarge
	case err != nil:
		// Cut off by the request's own limit, or the client went away.
		return File{}, fmt.Errorf("files: upload: %w", err)
	}
	if isPupil(me) {
		prog, err := s.isProgram(hr.head, b)
		if err != nil {
			return File{}, err
		}
		if prog {
			return File{}, errProgram
		}
	}
	return s.store(ctx, g, f, name, b)
}

// isProgram looks at a stored file's first bytes and, for a ZIP archive,
// at what is inside.
func (s *Service) isProgram(head []byte, b blobs.Blob) (bool, error) {
	if executableContent(head) {
		return true, nil
	}
	if !bytes.HasPrefix(head, zipMagic) {
		return false, nil
	}
	f, err := s.blobs.Open(b.Hash)
	if err != nil {
		return false, fmt.Errorf("files: look into %s: %w", b.Hash, err)
	}
	defer f.Close()
	return zipHasProgram(f, b.Size), nil
}

// store records a stored blob as a file of the person in a folder, in
// one transaction that checks the quota and the number of files again
// (two uploads at once must not both fit into the last megabyte).
func (s *Service) store(ctx context.Context, g *grants, f folderRow, name string, b blobs.Blob) (File, error) {
	now := s.now()
	row := fileRow{folderID: f.id, ownerID: g.me.ID, ownerLogin: g.me.Login, ownerName: g.me.Name(), size: b.Size, hash: b.Hash,
		createdAt: now, updatedAt: now}
	quota := s.cfg.Quota(g.me.Role)
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		used, count, err := usedBy(ctx, tx, g.me.ID)
		if err != nil {
			return err
		}
		if used+b.Size > quota {
			return s.quotaError(used, quota)
		}
		if count >= MaxFiles {
			return refuse(Invalid, "file", fmt.Sprintf("Du hast schon %d Dateien gespeichert. Lösche zuerst welche.", MaxFiles), "%d files", count)
		}
		scope := int64(0)
		if f.kind == Drop {
			scope = g.me.ID
		}
		row.name = name
		for n := 2; ; n++ {
			taken, err := nameTaken(ctx, tx, f.id, scope, row.name, 0, 0)
			if err != nil {
				return err
			}
			if !taken {
				break
			}
			if n > 1000 {
				return refuse(Conflict, "name", "Diesen Namen gibt es hier schon zu oft.", "name %q taken 1000 times", name)
			}
			row.name = numbered(name, n)
		}
		row.id, err = insertFile(ctx, tx, row)
		return err
	})
	if err != nil {
		// The blob stays until the sweep: the same content may belong to
		// another file that is being committed right now.
		return File{}, err
	}
	return g.describeFile(f, row), nil
}

// AddBlob stores content that is already in the blob store (an
// attachment of a mail the person may read) as a file in one of their
// folders, with the same rules as an upload: the folder, the name, no
// programs for pupils, the quota. The files module never reads another
// module's tables; the caller hands over the blob.
func (s *Service) AddBlob(ctx context.Context, me directory.Person, folderID int64, name string, b blobs.Blob) (File, error) {
	name, err := CleanName(name)
	if err != nil {
		return File{}, err
	}
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return File{}, err
	}
	f, err := s.uploadable(ctx, g, folderID)
	if err != nil {
		return File{}, err
	}
	if b.Size > wire.MaxUpload {
		return File{}, errTooLarge
	}
	if isPupil(me) {
		if ExecutableName(name) {
			return File{}, errProgram
		}
		head, err := s.head(b)
		if err != nil {
			return File{}, err
		}
		prog, err := s.isProgram(head, b)
		if err != nil {
			return File{}, err
		}
		if prog {
			return File{}, errProgram
		}
	}
	return s.store(ctx, g, f, name, b)
}

// head reads a blob's first bytes.
func (s *Service) head(b blobs.Blob) ([]byte, error) {
	f, err := s.blobs.Open(b.Hash)
	if err != nil {
		return nil, fmt.Errorf("files: open %s: %w", b.Hash, err)
	}
	defer f.Close()
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("files: read %s: %w", b.Hash, err)
	}
	return head[:n], nil
}

// visible loads a file the person may see, with its folder; others are
// ErrNoFile.
func (s *Service) visible(ctx context.Context, q querier, g *grants, fileID int64) (fileRow, folderRow, error) {
	file, err := fileByID(ctx, q, fileID)
	if err != nil {
		return file, folderRow{}, err
	}
	f, err := folderByID(ctx, q, file.folderID)
	if err != nil {
		return file, f, err
	}
	if see, _ := g.fileAccess(f, file); !see {
		return file, f, ErrNoFile
	}
	return file, f, nil
}

// Open opens a file the person may see for reading; the caller closes it.
func (s *Service) Open(ctx context.Context, me directory.Person, fileID int64) (File, *os.File, error) {
	file, b, err := s.Blob(ctx, me, fileID)
	if err != nil {
		return file, nil, err
	}
	rd, err := s.blobs.Open(b.Hash)
	if err != nil {
		return file, nil, fmt.Errorf("files: open file %d: %w", file.ID, err)
	}
	return file, rd, nil
}

// Blob returns a file the person may see with its blob, for handing it
// to another module (attaching it to a mail).
func (s *Service) Blob(ctx context.Context, me directory.Person, fileID int64) (File, blobs.Blob, error) {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return File{}, blobs.Blob{}, err
	}
	file, f, err := s.visible(ctx, s.db.R, g, fileID)
	if err != nil {
		return File{}, blobs.Blob{}, err
	}
	return g.describeFile(f, file), blobs.Blob{Hash: file.hash, Size: file.size}, nil
}

// UpdateFile renames a file (name not "") and/or moves it to another
// folder of the same tree (folderID not 0). A pupil cannot rename a file
// into a program's name.
func (s *Service) UpdateFile(ctx context.Context, me directory.Person, fileID int64, name string, folderID int64) (File, error) {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return File{}, err
	}
	file, f, err := s.visible(ctx, s.db.R, g, fileID)
	if err != nil {
		return File{}, err
	}
	if _, change := g.fileAccess(f, file); !change {
		return File{}, refuse(Forbidden, "", "Diese Datei darfst du nicht ändern.", "%s may not change file %d", me.Login, file.id)
	}
	if name != "" {
		if file.name, err = CleanName(name); err != nil {
			return File{}, err
		}
		if isPupil(me) && ExecutableName(file.name) {
			return File{}, errProgram
		}
	}
	target := f
	if folderID != 0 && folderID != f.id {
		if target, err = s.writable(ctx, s.db.R, g, folderID); err != nil {
			return File{}, err
		}
		if target.kind != f.kind || target.ownerID != f.ownerID || target.groupID != f.groupID {
			return File{}, refuse(Invalid, "folder", "Dateien lassen sich nur innerhalb desselben Bereichs verschieben.", "move across trees")
		}
	}
	scope := int64(0)
	if target.kind == Drop {
		scope = file.ownerID
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.free(ctx, tx, target, scope, file.name, file.id, 0); err != nil {
			return err
		}
		return updateFile(ctx, tx, file.id, target.id, file.name, s.now())
	})
	if err != nil {
		return File{}, err
	}
	file.folderID, file.updatedAt = target.id, s.now()
	return g.describeFile(target, file), nil
}

// DeleteFile deletes a file the person may change; its blob goes with
// the next sweep unless something else refers to it.
func (s *Service) DeleteFile(ctx context.Context, me directory.Person, fileID int64) error {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return err
	}
	file, f, err := s.visible(ctx, s.db.R, g, fileID)
	if err != nil {
		return err
	}
	if _, change := g.fileAccess(f, file); !change {
		return refuse(Forbidden, "", "Diese Datei darfst du nicht löschen.", "%s may not delete file %d", me.Login, file.id)
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error { return deleteFile(ctx, tx, file.id) })
}

// Usage is how much of their quota the person uses.
func (s *Service) Usage(ctx context.Context, me directory.Person) (Usage, error) {
	used, _, err := usedBy(ctx, s.db.R, me.ID)
	return Usage{Used: used, Quota: s.cfg.Quota(me.Role)}, err
}

// BlobInUse reports whether a file refers to the blob, so that the server
// can sweep the blobs nothing refers to.
func (s *Service) BlobInUse(ctx context.Context, hash string) (bool, error) {
	return blobInUse(ctx, s.db.R, hash)
}
