package wire

import "time"

// Types of the mail module (/api/v1/mail/..., /api/v1/admin/mail/...);
// documented in docs/api/mail.md.

// Mail folders.
const (
	MailInbox = "inbox"
	MailSent  = "sent"
	MailTrash = "trash"
)

// MailMaxPage is the largest page of a folder.
const MailMaxPage = 100

// MailAddress is a sender or a recipient as written (a class stays a
// class; it is not expanded to its pupils).
type MailAddress struct {
	Address string `json:"address"` // login@domain, 3a@domain; "" for the school server itself
	Name    string `json:"name"`
	Kind    string `json:"kind"` // person, class, group, role; system for notices of the server
}

// MailFolder is a folder with its counts.
type MailFolder struct {
	Name   string `json:"name"`  // inbox, sent, trash
	Title  string `json:"title"` // Posteingang, Gesendet, Papierkorb
	Total  int    `json:"total"`
	Unread int    `json:"unread"`
}

// MailFolders is GET /api/v1/mail/folders.
type MailFolders struct {
	Folders []MailFolder `json:"folders"`
}

// MailSummary is a message in a folder list.
type MailSummary struct {
	ID              int64         `json:"id"`
	Folder          string        `json:"folder"`
	System          bool          `json:"system,omitempty"` // a notice of the school server
	From            MailAddress   `json:"from"`
	To              []MailAddress `json:"to"`
	Subject         string        `json:"subject"`
	SentAt          time.Time     `json:"sent_at"`
	Read            bool          `json:"read"`
	AttachmentCount int           `json:"attachment_count"`
}

// MailPage is GET /api/v1/mail/folders/{folder}: newest first; Next is the
// cursor of the following page.
type MailPage struct {
	Messages []MailSummary `json:"messages"`
	Page
}

// MailAttachment is a file attached to a message.
type MailAttachment struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Size int64  `json:"size"`
}

// MailMessage is one message.
type MailMessage struct {
	MailSummary
	Body        string           `json:"body"`
	InReplyTo   int64            `json:"in_reply_to,omitempty"`
	ForwardOf   int64            `json:"forward_of,omitempty"`
	Attachments []MailAttachment `json:"attachments"`
}

// MailSend is POST /api/v1/mail/messages.
type MailSend struct {
	To          []string `json:"to"`
	Subject     string   `json:"subject"`
	Body        string   `json:"body"`
	Attachments []int64  `json:"attachments,omitempty"` // upload ids
	ReplyTo     int64    `json:"reply_to,omitempty"`
	ForwardOf   int64    `json:"forward_of,omitempty"`
}

// MailUpload is a file uploaded for a message not sent yet.
type MailUpload struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Size      int64     `json:"size"`
	CreatedAt time.Time `json:"created_at"`
}

// MailUploads is GET /api/v1/mail/uploads.
type MailUploads struct {
	Uploads []MailUpload `json:"uploads"`
}

// MailSuggestion is a recipient the picker offers.
type MailSuggestion struct {
	MailAddress
	Detail string `json:"detail"` // "Klasse 3a", "Lehrkraft"
}

// MailSuggestions is GET /api/v1/mail/recipients.
type MailSuggestions struct {
	Suggestions []MailSuggestion `json:"suggestions"`
}

// MailInspectionRequest is POST /api/v1/admin/mail/inspections.
type MailInspectionRequest struct {
	Login  string `json:"login"`
	Reason string `json:"reason"`
}

// MailInspection is an admin's recorded look into a mailbox.
type MailInspection struct {
	ID      string    `json:"id"`
	Login   string    `json:"login"`
	Name    string    `json:"name"`
	Reason  string    `json:"reason"`
	Expires time.Time `json:"expires"`
}
