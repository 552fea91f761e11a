package api

import (
	"context"
	"io"
	"mime"
	"net/http"
	"strconv"

	"kaspel/server/mail"
	"kaspel/shared/wire"
)

func init() {
	modules = append(modules, module{name: wire.ModuleMail, migrations: mail.Migrations, register: registerMail})
}

// mailAPI holds the mail module's handlers. They decode, call the mail
// service and encode; the rules (who may write to whom, limits,
// inspections) are the service's.
type mailAPI struct {
	svc *mail.Service
}

func registerMail(s *Server) error {
	svc, err := mail.New(s.DB, s.Dir, s.Blobs, s.cfg.Mail)
	if err != nil {
		return err
	}
	h := &mailAPI{svc: svc}
	s.sweepers = append(s.sweepers, func(ctx context.Context) error {
		_, err := svc.SweepUploads(ctx)
		return err
	})
	s.blobUsers = append(s.blobUsers, svc.BlobInUse)
	a := Access{Module: wire.ModuleMail}
	up := Access{Module: wire.ModuleMail, MaxBody: wire.MaxUpload}
	adm := Access{Module: wire.ModuleMail, Roles: admins}
	route := s.handle // refusals are answered by mapError
	route("GET", "/api/v1/mail/folders", a, h.folders)
	route("GET", "/api/v1/mail/folders/{folder}", a, h.page)
	route("GET", "/api/v1/mail/search", a, h.search) // the own mailbox only; inspections have no search
	route("POST", "/api/v1/mail/messages", a, h.send)
	route("GET", "/api/v1/mail/messages/{id}", a, h.message)
	route("DELETE", "/api/v1/mail/messages/{id}", a, h.delete)
	route("PUT", "/api/v1/mail/messages/{id}/read", a, h.markRead)
	route("DELETE", "/api/v1/mail/messages/{id}/read", a, h.markUnread)
	route("POST", "/api/v1/mail/messages/{id}/trash", a, h.trash)
	route("POST", "/api/v1/mail/messages/{id}/restore", a, h.restore)
	route("GET", "/api/v1/mail/messages/{id}/attachments/{att}", a, h.download)
	route("POST", "/api/v1/mail/uploads", up, h.upload)
	route("GET", "/api/v1/mail/uploads", a, h.uploads)
	route("DELETE", "/api/v1/mail/uploads/{id}", a, h.deleteUpload)
	route("GET", "/api/v1/mail/recipients", a, h.recipients)

	route("POST", "/api/v1/admin/mail/inspections", adm, h.inspect)
	route("GET", "/api/v1/admin/mail/inspections/{inspection}/folders", adm, h.inspectFolders)
	route("GET", "/api/v1/admin/mail/inspections/{inspection}/folders/{folder}", adm, h.inspectPage)
	route("GET", "/api/v1/admin/mail/inspections/{inspection}/messages/{id}", adm, h.inspectMessage)
	route("GET", "/api/v1/admin/mail/inspections/{inspection}/messages/{id}/attachments/{att}", adm, h.inspectDownload)
	return nil
}

// pathID reads a numeric id from the path; anything else names nothing.
func (c *call) pathID(name string) (int64, error) {
	id, err := strconv.ParseInt(c.r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

func (h *mailAPI) folders(c *call) error { return h.folderList(c, c.me.ID) }

func (h *mailAPI) folderList(c *call, owner int64) error {
	list, err := h.svc.FolderList(c.ctx, owner)
	if err != nil {
		return err
	}
	out := wire.MailFolders{Folders: make([]wire.MailFolder, len(list))}
	for i, f := range list {
		out.Folders[i] = wire.MailFolder{Name: string(f.Folder), Title: f.Folder.German(), Total: f.Total, Unread: f.Unread}
	}
	return c.ok(out)
}

func (h *mailAPI) page(c *call) error { return h.folderPage(c, c.me.ID) }

func (h *mailAPI) folderPage(c *call, owner int64) error {
	folder, err := mail.ParseFolder(c.r.PathValue("folder"))
	if err != nil {
		return err
	}
	cursor, limit, err := mailPageParams(c)
	if err != nil {
		return err
	}
	p, err := h.svc.Page(c.ctx, owner, folder, cursor, limit)
	if err != nil {
		return err
	}
	return c.ok(wireMailPage(p))
}

// mailPageParams reads the cursor and the limit of a page (default 50); the
// service checks the limit's range.
func mailPageParams(c *call) (cursor int64, limit int, err error) {
	if v := c.query("cursor"); v != "" {
		if cursor, err = strconv.ParseInt(v, 10, 64); err != nil || cursor <= 0 {
			return 0, 0, invalid("Der Seitenzeiger ist ungültig. Bitte lade die Liste neu.", "cursor")
		}
	}
	limit = 50
	if v := c.query("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil {
			return 0, 0, invalid("Die Anzahl muss eine Zahl sein.", "limit")
		}
	}
	return cursor, limit, nil
}

// search searches the caller's own mailbox (one folder, or all without
// ?folder=); the answer is a page as a folder's is.
func (h *mailAPI) search(c *call) error {
	cursor, limit, err := mailPageParams(c)
	if err != nil {
		return err
	}
	p, err := h.svc.Search(c.ctx, c.me.ID, c.query("q"), mail.Folder(c.query("folder")), cursor, limit)
	if err != nil {
		return err
	}
	return c.ok(wireMailPage(p))
}

func wireMailPage(p mail.Page) wire.MailPage {
	out := wire.MailPage{Messages: make([]wire.MailSummary, len(p.Messages))}
	for i, m := range p.Messages {
		out.Messages[i] = wireSummary(m)
	}
	if p.Next != 0 {
		out.Next = strconv.FormatInt(p.Next, 10)
	}
	return out
}

func (h *mailAPI) message(c *call) error { return h.showMessage(c, c.me.ID, true) }

func (h *mailAPI) showMessage(c *call, owner int64, markRead bool) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	m, err := h.svc.Message(c.ctx, owner, id, markRead)
	if err != nil {
		return err
	}
	return c.ok(wireMessage(m))
}

// onMessage runs a change on a message of the caller's mailbox.
func (h *mailAPI) onMessage(c *call, fn func(owner, id int64) error) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	if err := fn(c.me.ID, id); err != nil {
		return err
	}
	return c.noContent()
}

func (h *mailAPI) markRead(c *call) error {
	return h.onMessage(c, func(o, id int64) error { return h.svc.SetRead(c.ctx, o, id, true) })
}

func (h *mailAPI) markUnread(c *call) error {
	return h.onMessage(c, func(o, id int64) error { return h.svc.SetRead(c.ctx, o, id, false) })
}

func (h *mailAPI) trash(c *call) error {
	return h.onMessage(c, func(o, id int64) error { return h.svc.MoveToTrash(c.ctx, o, id) })
}

func (h *mailAPI) restore(c *call) error {
	return h.onMessage(c, func(o, id int64) error { return h.svc.Restore(c.ctx, o, id) })
}

func (h *mailAPI) delete(c *call) error {
	return h.onMessage(c, func(o, id int64) error { return h.svc.Delete(c.ctx, o, id) })
}

func (h *mailAPI) send(c *call) error {
	var req wire.MailSend
	if err := c.decode(&req); err != nil {
		return err
	}
	m, err := h.svc.Send(c.ctx, c.me, mail.Draft{To: req.To, Subject: req.Subject, Body: req.Body,
		Attachments: req.Attachments, ReplyTo: req.ReplyTo, ForwardOf: req.ForwardOf})
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wireMessage(m))
}

func (h *mailAPI) download(c *call) error { return h.serveAttachment(c, c.me.ID) }

// serveAttachment streams an attachment from the blob store; it never
// sits in memory whole. The name is the sanitised one stored at upload.
func (h *mailAPI) serveAttachment(c *call, owner int64) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	att, err := c.pathID("att")
	if err != nil {
		return err
	}
	a, f, err := h.svc.OpenAttachment(c.ctx, owner, id, att)
	if err != nil {
		return err
	}
	defer f.Close()
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": a.Name})
	if disp == "" {
		disp = "attachment"
	}
	c.w.Header().Set("Content-Type", "application/octet-stream")
	c.w.Header().Set("Content-Disposition", disp)
	c.w.Header().Set("Content-Length", strconv.FormatInt(a.Size, 10))
	if _, err := io.Copy(c.w, f); err != nil {
		c.s.Logger.Warn("api: attachment download cut off", "attachment", a.ID, "who", c.actor.Name, "err", err)
	}
	return nil
}

// upload takes the raw request body as a file (name in ?name=). The
// route's MaxBody lets the framework refuse a larger Content-Length before
// reading; a body without length is cut where it crosses the limit.
func (h *mailAPI) upload(c *call) error {
	u, err := h.svc.Upload(c.ctx, c.me, c.query("name"), c.r.Body)
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wireUpload(u))
}

func (h *mailAPI) uploads(c *call) error {
	list, err := h.svc.Uploads(c.ctx, c.me.ID)
	if err != nil {
		return err
	}
	out := wire.MailUploads{Uploads: make([]wire.MailUpload, len(list))}
	for i, u := range list {
		out.Uploads[i] = wireUpload(u)
	}
	return c.ok(out)
}

func (h *mailAPI) deleteUpload(c *call) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	if err := h.svc.DeleteUpload(c.ctx, c.me.ID, id); err != nil {
		return err
	}
	return c.noContent()
}

func (h *mailAPI) recipients(c *call) error {
	limit := 20
	if v := c.query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > mail.MaxSuggestions {
			return invalid("Die Anzahl muss zwischen 1 und 50 liegen.", "limit")
		}
		limit = n
	}
	list, err := h.svc.Suggest(c.ctx, c.me, c.query("q"), limit)
	if err != nil {
		return err
	}
	out := wire.MailSuggestions{Suggestions: make([]wire.MailSuggestion, len(list))}
	for i, s := range list {
		out.Suggestions[i] = wire.MailSuggestion{MailAddress: wireAddress(s.Address), Detail: s.Detail}
	}
	return c.ok(out)
}

// inspect opens someone's mailbox to the calling admin, with a reason
// that goes into the protocol and to the owner.
func (h *mailAPI) inspect(c *call) error {
	var req wire.MailInspectionRequest
	if err := c.decode(&req); err != nil {
		return err
	}
	in, err := h.svc.Inspect(c.ctx, c.me, c.actor, req.Login, req.Reason)
	if err != nil {
		return err
	}
	return c.reply(http.StatusCreated, wire.MailInspection{ID: in.ID, Login: in.OwnerLogin, Name: in.OwnerName, Reason: in.Reason, Expires: in.Expires})
}

// inspected returns the owner of the mailbox a valid inspection of the
// calling admin opened; without one, an admin sees nobody's mail.
func (h *mailAPI) inspected(c *call) (int64, error) {
	in, err := h.svc.Inspection(c.ctx, c.me.ID, c.r.PathValue("inspection"))
	if err != nil {
		return 0, err
	}
	return in.OwnerID, nil
}

func (h *mailAPI) inspectFolders(c *call) error {
	owner, err := h.inspected(c)
	if err != nil {
		return err
	}
	return h.folderList(c, owner)
}

func (h *mailAPI) inspectPage(c *call) error {
	owner, err := h.inspected(c)
	if err != nil {
		return err
	}
	return h.folderPage(c, owner)
}

// inspectMessage shows a message without marking it read: the owner's
// mailbox stays as they left it.
func (h *mailAPI) inspectMessage(c *call) error {
	owner, err := h.inspected(c)
	if err != nil {
		return err
	}
	return h.showMessage(c, owner, false)
}

func (h *mailAPI) inspectDownload(c *call) error {
	owner, err := h.inspected(c)
	if err != nil {
		return err
	}
	return h.serveAttachment(c, owner)
}

func wireAddress(a mail.Address) wire.MailAddress {
	return wire.MailAddress{Address: a.Address, Name: a.Name, Kind: string(a.Kind)}
}

func wireSummary(m mail.Summary) wire.MailSummary {
	out := wire.MailSummary{ID: m.ID, Folder: string(m.Folder), System: m.System, From: wireAddress(m.From),
		To: make([]wire.MailAddress, len(m.To)), Subject: m.Subject, SentAt: m.SentAt, Read: m.Read, AttachmentCount: m.AttachmentCount}
	for i, a := range m.To {
		out.To[i] = wireAddress(a)
	}
	return out
}

func wireMessage(m mail.Message) wire.MailMessage {
	out := wire.MailMessage{MailSummary: wireSummary(m.Summary), Body: m.Body, InReplyTo: m.InReplyTo, ForwardOf: m.ForwardOf,
		Attachments: make([]wire.MailAttachment, len(m.Attachments))}
	for i, a := range m.Attachments {
		out.Attachments[i] = wire.MailAttachment{ID: a.ID, Name: a.Name, Size: a.Size}
	}
	return out
}

func wireUpload(u mail.Upload) wire.MailUpload {
	return wire.MailUpload{ID: u.ID, Name: u.Name, Size: u.Size, CreatedAt: u.CreatedAt}
}
