package serverapi

import (
	"context"
	"io"
	"net/url"
	"strconv"

	"kaspel/shared/wire"
)

// FilesRoots lists the caller's top folders ("Meine Dateien", the
// folders and drop folders of their classes and groups) and their usage.
func (c *Client) FilesRoots(ctx context.Context) (wire.FilesRoots, error) {
	var r wire.FilesRoots
	err := c.do(ctx, request{method: "GET", path: "/api/v1/files/folders", out: &r})
	return r, err
}

func filesFolderPath(id int64) string { return "/api/v1/files/folders/" + strconv.FormatInt(id, 10) }
func filesFilePath(id int64) string   { return "/api/v1/files/files/" + strconv.FormatInt(id, 10) }

// FilesFolder lists a folder: its path, subfolders and the files the
// caller may see.
func (c *Client) FilesFolder(ctx context.Context, id int64) (wire.FilesListing, error) {
	var l wire.FilesListing
	err := c.do(ctx, request{method: "GET", path: filesFolderPath(id), out: &l})
	return l, err
}

// FilesCreateFolder makes a subfolder.
func (c *Client) FilesCreateFolder(ctx context.Context, parent int64, name string) (wire.FilesFolder, error) {
	var f wire.FilesFolder
	err := c.do(ctx, request{method: "POST", path: filesFolderPath(parent) + "/folders", json: wire.FilesNewFolder{Name: name}, out: &f})
	return f, err
}

// FilesRenameFolder renames a subfolder.
func (c *Client) FilesRenameFolder(ctx context.Context, id int64, name string) (wire.FilesFolder, error) {
	var f wire.FilesFolder
	err := c.do(ctx, request{method: "PATCH", path: filesFolderPath(id), json: wire.FilesFolderChange{Name: name}, out: &f})
	return f, err
}

// FilesDeleteFolder deletes a subfolder with everything in it.
func (c *Client) FilesDeleteFolder(ctx context.Context, id int64) error {
	return c.do(ctx, request{method: "DELETE", path: filesFolderPath(id)})
}

// FilesUpload stores a file in a folder, streamed from r. size is its
// length, or -1 if unknown (then it goes chunked and the server cuts it
// where it crosses 20 MB or the quota). A name taken in the folder gets a
// number; the answer carries the name stored.
func (c *Client) FilesUpload(ctx context.Context, folder int64, name string, r io.Reader, size int64) (wire.FilesFile, error) {
	var f wire.FilesFile
	err := c.do(ctx, request{method: "POST", path: filesFolderPath(folder) + "/files", query: url.Values{"name": {name}},
		body: r, size: size, contentType: "application/octet-stream", out: &f})
	return f, err
}

// FilesDownload streams a file into w and returns its name and size.
func (c *Client) FilesDownload(ctx context.Context, id int64, w io.Writer) (string, int64, error) {
	return c.stream(ctx, filesFilePath(id), w)
}

// FilesUpdate renames a file and/or moves it to another folder of the
// same tree.
func (c *Client) FilesUpdate(ctx context.Context, id int64, change wire.FilesFileChange) (wire.FilesFile, error) {
	var f wire.FilesFile
	err := c.do(ctx, request{method: "PATCH", path: filesFilePath(id), json: change, out: &f})
	return f, err
}

// FilesDelete deletes a file.
func (c *Client) FilesDelete(ctx context.Context, id int64) error {
	return c.do(ctx, request{method: "DELETE", path: filesFilePath(id)})
}

// FilesUsage returns the caller's used space and quota.
func (c *Client) FilesUsage(ctx context.Context) (wire.FilesUsage, error) {
	var u wire.FilesUsage
	err := c.do(ctx, request{method: "GET", path: "/api/v1/files/usage", out: &u})
	return u, err
}

// FilesSaveMailAttachment saves an attachment of a mail in the caller's
// mailbox into a folder (0: "Meine Dateien").
func (c *Client) FilesSaveMailAttachment(ctx context.Context, messageID, attachmentID, folder int64) (wire.FilesFile, error) {
	var f wire.FilesFile
	err := c.do(ctx, request{method: "POST", path: "/api/v1/files/from-mail",
		json: wire.FilesFromMail{MessageID: messageID, AttachmentID: attachmentID, Folder: folder}, out: &f})
	return f, err
}

// FilesAttachToMail makes a file an upload waiting for the caller's next
// mail; put the answer's ID into MailSend.Attachments.
func (c *Client) FilesAttachToMail(ctx context.Context, id int64) (wire.MailUpload, error) {
	var u wire.MailUpload
	err := c.do(ctx, request{method: "POST", path: filesFilePath(id) + "/to-mail", out: &u})
	return u, err
}
