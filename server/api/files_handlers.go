package api

import (
	"context"
	"io"
	"mime"
	"net/http"
	"strconv"

	"kaspel/server/files"
	"kaspel/server/mail"
	"kaspel/shared/wire"
)

// The files module (docs/api/files.md): own folders, class and group
// folders, drop folders. Who may read or write a folder follows from the
// data (owner, membership, teacher of the class), so the routes are open
// to every logged-in person and the files service decides; a folder or
// file the caller may not see answers 404, one they may see but not
// change 403. Uploads are bounded by the route (20 MB, refused before
// reading when the length is known) and streamed to the blob store.
//
// Saving a mail attachment into the files and attaching a file to a mail
// go through the mail service's Go API (mail/files_bridge.go): neither
// module reads the other's tables; they hand each other blobs.
func init() {
	modules = append(modules, module{name: wire.ModuleFiles, migrations: files.Migrations, register: registerFiles})
}

// filesAPI holds the files module's handlers.
type filesAPI struct {
	svc  *files.Service
	mail *mail.Service
}

func registerFiles(s *Server) error {
	svc, err := files.New(s.DB, s.Dir, s.Blobs, s.cfg.Files)
	if err != nil {
		return err
	}
	// A mail service of its own for the bridge: it shares the database
	// and the blob store; the bridge does not use mail's rate limiter.
	ms, err := mail.New(s.DB, s.Dir, s.Blobs, s.cfg.Mail)
	if err != nil {
		return err
	}
	h := &filesAPI{svc: svc, mail: ms}
	s.blobUsers = append(s.blobUsers, svc.BlobInUse)
	a := Access{Module: wire.ModuleFiles}
	up := Access{Module: wire.ModuleFiles, MaxBody: wire.MaxUpload}
	route := s.handle // refusals are answered by mapError
	route("GET", "/api/v1/files/folders", a, h.roots)
	route("GET", "/api/v1/files/folders/{id}", a, h.listing)
	route("POST", "/api/v1/files/folders/{id}/folders", a, h.createFolder)
	route("PATCH", "/api/v1/files/folders/{id}", a, h.renameFolder)
	route("DELETE", "/api/v1/files/folders/{id}", a, h.deleteFolder)
	route("POST", "/api/v1/files/folders/{id}/files", up, h.upload)
	route("GET", "/api/v1/files/files/{id}", a, h.download)
	route("PATCH", "/api/v1/files/files/{id}", a, h.updateFile)
	route("DELETE", "/api/v1/files/files/{id}", a, h.deleteFile)
	route("GET", "/api/v1/files/usage", a, h.usage)
	route("POST", "/api/v1/files/from-mail", a, h.fromMail)
	route("POST", "/api/v1/files/files/{id}/to-mail", a, h.toMail)
	return nil
}

func (h *filesAPI) roots(c *call) error {
	list, err := h.svc.Roots(c.ctx, c.me)
	if err != nil {
		return err
	}
	u, err := h.svc.Usage(c.ctx, c.me)
	if err != nil {
		return err
	}
	return c.ok(wire.FilesRoots{Folders: wireFolders(list), Usage: wire.FilesUsage{Used: u.Used, Quota: u.Quota}})
}

func (h *filesAPI) listing(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	l, err := h.svc.Listing(c.ctx, c.me, id)
	if err != nil {
		return err
	}
	out := wire.FilesListing{Folder: wireFolder(l.Folder), Path: wireFolders(l.Path), Folders: wireFolders(l.Folders),
		Files: make([]wire.FilesFile, len(l.Files))}
	for i, f := range l.Files {
		out.Files[i] = wireFile(f)
	}
	return c.ok(out)
}

func (h *filesAPI) createFolder(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	var req wire.FilesNewFolder
	if err := c.decode(&req); err != nil {
		return err
	}
	f, err := h.svc.CreateFolder(c.ctx, c.me, id, req.Name)
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wireFolder(f))
}

func (h *filesAPI) renameFolder(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	var req wire.FilesFolderChange
	if err := c.decode(&req); err != nil {
		return err
	}
	f, err := h.svc.RenameFolder(c.ctx, c.me, id, req.Name)
	if err != nil {
		return err
	}
	return c.ok(wireFolder(f))
}

func (h *filesAPI) deleteFolder(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	if err := h.svc.DeleteFolder(c.ctx, c.me, id); err != nil {
		return err
	}
	return c.noContent()
}

// upload takes the raw request body as a file (name in ?name=). The
// route's MaxBody lets the framework refuse a larger Content-Length
// before reading; a body without length is cut where it crosses the limit.
// The announced length also lets the service refuse what would not fit
// the quota before a byte is stored.
func (h *filesAPI) upload(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	f, err := h.svc.Upload(c.ctx, c.me, id, c.query("name"), c.r.ContentLength, c.r.Body)
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wireFile(f))
}

// download streams a file from the blob store; it never sits in memory
// whole, and a browser is never asked to render it.
func (h *filesAPI) download(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	f, rd, err := h.svc.Open(c.ctx, c.me, id)
	if err != nil {
		return err
	}
	defer rd.Close()
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": f.Name})
	if disp == "" {
		disp = "attachment"
	}
	c.w.Header().Set("Content-Type", "application/octet-stream")
	c.w.Header().Set("Content-Disposition", disp)
	c.w.Header().Set("Content-Length", strconv.FormatInt(f.Size, 10))
	if _, err := io.Copy(c.w, rd); err != nil {
		c.s.Logger.Warn("api: file download cut off", "file", f.ID, "who", c.actor.Name, "err", err)
	}
	return nil
}

func (h *filesAPI) updateFile(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	var req wire.FilesFileChange
	if err := c.decode(&req); err != nil {
		return err
	}
	f, err := h.svc.UpdateFile(c.ctx, c.me, id, req.Name, req.Folder)
	if err != nil {
		return err
	}
	return c.ok(wireFile(f))
}

func (h *filesAPI) deleteFile(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	if err := h.svc.DeleteFile(c.ctx, c.me, id); err != nil {
		return err
	}
	return c.noContent()
}

func (h *filesAPI) usage(c *call) error {
	u, err := h.svc.Usage(c.ctx, c.me)
	if err != nil {
		return err
	}
	return c.ok(wire.FilesUsage{Used: u.Used, Quota: u.Quota})
}

// mailOn refuses the bridge routes while the school has mail switched
// off: they would be a way into a module that answers 404 for everyone.
func (h *filesAPI) mailOn(ctx context.Context, s *Server) error {
	on, err := s.Dir.Modules(ctx, []string{wire.ModuleMail})
	if err != nil {
		return err
	}
	if !on[wire.ModuleMail] {
		return errNotFound
	}
	return nil
}

// fromMail saves an attachment of a mail in the caller's mailbox into one
// of their folders (their own folder when none is named).
func (h *filesAPI) fromMail(c *call) error {
	var req wire.FilesFromMail
	if err := c.decode(&req); err != nil {
		return err
	}
	if err := h.mailOn(c.ctx, c.s); err != nil {
		return err
	}
	b, name, err := h.mail.AttachmentForReader(c.ctx, c.me.ID, req.MessageID, req.AttachmentID)
	if err != nil {
		return err
	}
	folder := req.Folder
	if folder == 0 {
		home, err := h.svc.Home(c.ctx, c.me)
		if err != nil {
			return err
		}
		folder = home.ID
	}
	f, err := h.svc.AddBlob(c.ctx, c.me, folder, name, b)
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wireFile(f))
}

// toMail makes a file the caller may read an upload waiting for their
// next mail; the answer's id goes into the mail's attachments.
func (h *filesAPI) toMail(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	if err := h.mailOn(c.ctx, c.s); err != nil {
		return err
	}
	f, b, err := h.svc.Blob(c.ctx, c.me, id)
	if err != nil {
		return err
	}
	u, err := h.mail.AddUploadFromBlob(c.ctx, c.me, f.Name, b)
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wireUpload(u))
}

func wireFolder(f files.Folder) wire.FilesFolder {
	return wire.FilesFolder{ID: f.ID, Kind: string(f.Kind), Name: f.Name, Parent: f.ParentID, Group: f.Group,
		MayUpload: f.MayUpload, MayWrite: f.MayWrite}
}

func wireFolders(list []files.Folder) []wire.FilesFolder {
	out := make([]wire.FilesFolder, len(list))
	for i, f := range list {
		out[i] = wireFolder(f)
	}
	return out
}

func wireFile(f files.File) wire.FilesFile {
	return wire.FilesFile{ID: f.ID, Folder: f.FolderID, Name: f.Name, Size: f.Size, Owner: wire.FilesPerson{Login: f.Owner.Login, Name: f.Owner.Name},
		CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt, Mine: f.Mine, MayChange: f.MayChange}
}
