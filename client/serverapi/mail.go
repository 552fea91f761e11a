package serverapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"kaspel/shared/wire"
)

// MailFolders lists the own folders with total and unread counts.
func (c *Client) MailFolders(ctx context.Context) ([]wire.MailFolder, error) {
	var f wire.MailFolders
	err := c.do(ctx, request{method: "GET", path: "/api/v1/mail/folders", out: &f})
	return f.Folders, err
}

// MailPage reads one page of a folder (wire.MailInbox, ...), newest
// first. cursor is the Next of the page before ("" for the first page);
// limit 0 takes the server's default.
func (c *Client) MailPage(ctx context.Context, folder, cursor string, limit int) (wire.MailPage, error) {
	var p wire.MailPage
	err := c.do(ctx, request{method: "GET", path: "/api/v1/mail/folders/" + esc(folder), query: pageQuery(cursor, limit), out: &p})
	return p, err
}

// MailSearch searches the own mailbox for messages with every word of q
// (in subject, text, names, addresses or attachment names): in one
// folder, or in all with folder "". The answer is paged as MailPage's.
func (c *Client) MailSearch(ctx context.Context, q, folder, cursor string, limit int) (wire.MailPage, error) {
	v := pageQuery(cursor, limit)
	v.Set("q", q)
	if folder != "" {
		v.Set("folder", folder)
	}
	var p wire.MailPage
	err := c.do(ctx, request{method: "GET", path: "/api/v1/mail/search", query: v, out: &p})
	return p, err
}

func pageQuery(cursor string, limit int) url.Values {
	v := url.Values{}
	if cursor != "" {
		v.Set("cursor", cursor)
	}
	if limit > 0 {
		v.Set("limit", strconv.Itoa(limit))
	}
	return v
}

// MailMessage opens a message; the server marks it read.
func (c *Client) MailMessage(ctx context.Context, id int64) (wire.MailMessage, error) {
	var m wire.MailMessage
	err := c.do(ctx, request{method: "GET", path: mailPath(id), out: &m})
	return m, err
}

func mailPath(id int64) string { return "/api/v1/mail/messages/" + strconv.FormatInt(id, 10) }

// MailSetRead marks a message read or unread.
func (c *Client) MailSetRead(ctx context.Context, id int64, read bool) error {
	method := "PUT"
	if !read {
		method = "DELETE"
	}
	return c.do(ctx, request{method: method, path: mailPath(id) + "/read"})
}

// MailTrash moves a message into the trash.
func (c *Client) MailTrash(ctx context.Context, id int64) error {
	return c.do(ctx, request{method: "POST", path: mailPath(id) + "/trash"})
}

// MailRestore moves a message from the trash back where it was.
func (c *Client) MailRestore(ctx context.Context, id int64) error {
	return c.do(ctx, request{method: "POST", path: mailPath(id) + "/restore"})
}

// MailDelete deletes a message in the trash for good.
func (c *Client) MailDelete(ctx context.Context, id int64) error {
	return c.do(ctx, request{method: "DELETE", path: mailPath(id)})
}

// MailSend sends a message (new, reply or forward) and returns the own
// copy in the sent folder.
func (c *Client) MailSend(ctx context.Context, m wire.MailSend) (wire.MailMessage, error) {
	var out wire.MailMessage
	err := c.do(ctx, request{method: "POST", path: "/api/v1/mail/messages", json: m, out: &out})
	return out, err
}

// MailUpload uploads a file for a message, streamed from r. size is its
// length, or -1 if unknown (then it goes chunked and the server cuts it
// where it crosses 20 MB). The answer's ID goes into MailSend.Attachments.
func (c *Client) MailUpload(ctx context.Context, name string, r io.Reader, size int64) (wire.MailUpload, error) {
	var u wire.MailUpload
	err := c.do(ctx, request{method: "POST", path: "/api/v1/mail/uploads", query: url.Values{"name": {name}},
		body: r, size: size, contentType: "application/octet-stream", out: &u})
	return u, err
}

// MailUploads lists the own uploads that wait to be sent.
func (c *Client) MailUploads(ctx context.Context) ([]wire.MailUpload, error) {
	var u wire.MailUploads
	err := c.do(ctx, request{method: "GET", path: "/api/v1/mail/uploads", out: &u})
	return u.Uploads, err
}

// MailDeleteUpload removes an upload that was not sent.
func (c *Client) MailDeleteUpload(ctx context.Context, id int64) error {
	return c.do(ctx, request{method: "DELETE", path: "/api/v1/mail/uploads/" + strconv.FormatInt(id, 10)})
}

// MailDownload streams an attachment into w and returns its file name
// (as the server sanitised it) and size.
func (c *Client) MailDownload(ctx context.Context, messageID, attachmentID int64, w io.Writer) (string, int64, error) {
	return c.stream(ctx, mailPath(messageID)+"/attachments/"+strconv.FormatInt(attachmentID, 10), w)
}

// MailRecipients suggests recipients for what was typed (only those the
// caller may write to).
func (c *Client) MailRecipients(ctx context.Context, q string, limit int) ([]wire.MailSuggestion, error) {
	v := url.Values{"q": {q}}
	if limit > 0 {
		v.Set("limit", strconv.Itoa(limit))
	}
	var s wire.MailSuggestions
	err := c.do(ctx, request{method: "GET", path: "/api/v1/mail/recipients", query: v, out: &s})
	return s.Suggestions, err
}

// InspectMailbox opens another person's mailbox on suspicion (admins):
// the reason goes into the protocol and to the owner, who is told at once.
// The answer's ID is valid for an hour.
func (c *Client) InspectMailbox(ctx context.Context, login, reason string) (wire.MailInspection, error) {
	var in wire.MailInspection
	err := c.do(ctx, request{method: "POST", path: "/api/v1/admin/mail/inspections",
		json: wire.MailInspectionRequest{Login: login, Reason: reason}, out: &in})
	return in, err
}

func inspectionPath(id string) string { return "/api/v1/admin/mail/inspections/" + esc(id) }

// InspectionFolders lists the folders of an inspected mailbox.
func (c *Client) InspectionFolders(ctx context.Context, inspection string) ([]wire.MailFolder, error) {
	var f wire.MailFolders
	err := c.do(ctx, request{method: "GET", path: inspectionPath(inspection) + "/folders", out: &f})
	return f.Folders, err
}

// InspectionPage reads a page of a folder of an inspected mailbox.
func (c *Client) InspectionPage(ctx context.Context, inspection, folder, cursor string, limit int) (wire.MailPage, error) {
	var p wire.MailPage
	err := c.do(ctx, request{method: "GET", path: inspectionPath(inspection) + "/folders/" + esc(folder),
		query: pageQuery(cursor, limit), out: &p})
	return p, err
}

// InspectionMessage reads a message of an inspected mailbox (it stays
// unread for the owner).
func (c *Client) InspectionMessage(ctx context.Context, inspection string, id int64) (wire.MailMessage, error) {
	var m wire.MailMessage
	err := c.do(ctx, request{method: "GET", path: inspectionPath(inspection) + "/messages/" + strconv.FormatInt(id, 10), out: &m})
	return m, err
}

// InspectionDownload streams an attachment of an inspected mailbox into w.
func (c *Client) InspectionDownload(ctx context.Context, inspection string, messageID, attachmentID int64, w io.Writer) (string, int64, error) {
	return c.stream(ctx, inspectionPath(inspection)+"/messages/"+strconv.FormatInt(messageID, 10)+
		"/attachments/"+strconv.FormatInt(attachmentID, 10), w)
}

// stream GETs a file into w without holding it in memory and returns the
// file name of its Content-Disposition and the bytes written.
func (c *Client) stream(ctx context.Context, path string, w io.Writer) (string, int64, error) {
	// As in do: path is escaped; keep it so in RawPath.
	unescaped, err := url.PathUnescape(path)
	if err != nil {
		return "", 0, fmt.Errorf("serverapi: path %q: %w", path, err)
	}
	u := *c.base
	u.Path = c.base.Path + unescaped
	u.RawPath = c.base.EscapedPath() + path
	req, err := http.NewRequestWithContext(ctx, "GET", u.String(), nil)
	if err != nil {
		return "", 0, fmt.Errorf("serverapi: %w", err)
	}
	if t := c.Token(); t != "" {
		req.Header.Set("Authorization", "Bearer "+t)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return "", 0, ctx.Err()
		}
		return "", 0, fmt.Errorf("%w: %v", ErrUnreachable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 {
		var eb wire.ErrorBody
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		if json.Unmarshal(data, &eb) != nil || eb.Error.Code == "" {
			eb.Error = wire.Error{Code: wire.CodeInternal, Message: "Der Server hat unerwartet geantwortet (" + resp.Status + ")."}
		}
		return "", 0, &Error{Status: resp.StatusCode, Code: eb.Error.Code, Message: eb.Error.Message, Fields: eb.Error.Fields}
	}
	name := ""
	if _, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err == nil {
		name = params["filename"]
	}
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return name, n, fmt.Errorf("%w: %v", ErrUnreachable, err)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return name, n, fmt.Errorf("%w: download cut off after %d of %d bytes", ErrUnreachable, n, resp.ContentLength)
	}
	return name, n, nil
}
