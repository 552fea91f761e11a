package mail

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"kaspel/server/blobs"
	"kaspel/server/directory"
	"kaspel/server/store"
)

// Folder is one of a mailbox's folders.
type Folder string

// The folders every mailbox has.
const (
	Inbox Folder = "inbox"
	Sent  Folder = "sent"
	Trash Folder = "trash"
)

// Folders lists the folders in the order the client shows them.
var Folders = []Folder{Inbox, Sent, Trash}

// German is the folder's name for people.
func (f Folder) German() string {
	switch f {
	case Inbox:
		return "Posteingang"
	case Sent:
		return "Gesendet"
	case Trash:
		return "Papierkorb"
	}
	return string(f)
}

// ParseFolder accepts the folder names of the API.
func ParseFolder(s string) (Folder, error) {
	for _, f := range Folders {
		if string(f) == s {
			return f, nil
		}
	}
	return "", refuse(NotFound, "folder", "Diesen Ordner gibt es nicht.", "no folder %q", s)
}

// AddressKind tells what an address names.
type AddressKind string

// The kinds of addresses.
const (
	PersonAddress AddressKind = "person"
	ClassAddress  AddressKind = "class"
	GroupAddress  AddressKind = "group"
	RoleAddress   AddressKind = "role"   // a whole role: schueler, lehrer, sekretariat, admins
	SystemAddress AddressKind = "system" // the school server itself (notices), no address
)

// Address is a recipient as written (before a class is expanded to its
// pupils), or a sender.
type Address struct {
	Address string      `json:"address"` // login@domain, 3a@domain; "" for the system
	Name    string      `json:"name"`
	Kind    AddressKind `json:"kind"`
}

// FolderInfo is a folder with its counts.
type FolderInfo struct {
	Folder Folder
	Total  int
	Unread int
}

// Summary is a message in a folder list.
type Summary struct {
	ID              int64
	Folder          Folder
	System          bool // a message of the server (an inspection notice), not of a person
	From            Address
	To              []Address
	Subject         string
	SentAt          time.Time
	Read            bool
	AttachmentCount int
}

// Message is one message with its text and attachments.
type Message struct {
	Summary
	Body        string
	InReplyTo   int64 // 0: none (or the original is gone)
	ForwardOf   int64
	Attachments []Attachment
}

// Attachment is a file attached to a message.
type Attachment struct {
	ID   int64
	Name string
	Size int64
	Hash string // the blob
}

// Page is one page of a folder, newest first. Next is the cursor of the
// following page, 0 on the last one.
type Page struct {
	Messages []Summary
	Next     int64
}

// MaxPage bounds a page.
const MaxPage = 100

// Service is the mail module. It is safe for concurrent use.
type Service struct {
	db    *store.DB
	dir   *directory.Directory
	blobs *blobs.Store
	cfg   Config
	now   func() time.Time

	limiter limiter
}

// New makes the mail service. Zero limits in cfg take the defaults: a
// configuration file without them must not switch the limits off.
func New(db *store.DB, dir *directory.Directory, bl *blobs.Store, cfg Config) (*Service, error) {
	if db == nil || dir == nil || bl == nil {
		return nil, errors.New("mail: needs the database, the directory and the blob store")
	}
	if cfg.PupilsPerHour <= 0 {
		cfg.PupilsPerHour = DefaultConfig.PupilsPerHour
	}
	if cfg.StaffPerHour <= 0 {
		cfg.StaffPerHour = DefaultConfig.StaffPerHour
	}
	if cfg.PupilRecipients <= 0 {
		cfg.PupilRecipients = DefaultConfig.PupilRecipients
	}
	return &Service{db: db, dir: dir, blobs: bl, cfg: cfg, now: time.Now, limiter: limiter{sent: map[int64][]time.Time{}}}, nil
}

// SetClock replaces the clock, for tests of the rate limit and of
// inspections expiring.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// domain is the school's mail domain.
func (s *Service) domain(ctx context.Context) (string, error) {
	school, err := s.dir.School(ctx)
	if err != nil {
		return "", fmt.Errorf("mail: %w", err)
	}
	return school.Domain, nil
}

// FolderList lists a person's folders with total and unread counts.
func (s *Service) FolderList(ctx context.Context, personID int64) ([]FolderInfo, error) {
	counts, err := folderCounts(ctx, s.db.R, personID)
	if err != nil {
		return nil, err
	}
	out := make([]FolderInfo, len(Folders))
	for i, f := range Folders {
		out[i] = FolderInfo{Folder: f, Total: counts[f][0], Unread: counts[f][1]}
	}
	return out, nil
}

// Page returns up to limit messages of a folder older than the cursor
// (the Next of the page before; 0 for the first page).
func (s *Service) Page(ctx context.Context, personID int64, folder Folder, cursor int64, limit int) (Page, error) {
	if _, err := ParseFolder(string(folder)); err != nil {
		return Page{}, err
	}
	if limit <= 0 || limit > MaxPage {
		return Page{}, refuse(Invalid, "limit", fmt.Sprintf("Eine Seite hat 1 bis %d Nachrichten.", MaxPage), "page limit %d", limit)
	}
	if cursor <= 0 {
		cursor = math.MaxInt64
	}
	domain, err := s.domain(ctx)
	if err != nil {
		return Page{}, err
	}
	rows, err := pageOf(ctx, s.db.R, personID, folder, cursor, limit+1)
	if err != nil {
		return Page{}, err
	}
	var p Page
	if len(rows) > limit {
		rows = rows[:limit]
		p.Next = rows[limit-1].id
	}
	p.Messages = make([]Summary, len(rows))
	for i, r := range rows {
		p.Messages[i] = r.summary(domain)
	}
	return p, nil
}

// Message returns one message of a person's mailbox. With markRead it
// marks it read (the owner opening it; an inspecting admin does not).
func (s *Service) Message(ctx context.Context, personID, messageID int64, markRead bool) (Message, error) {
	r, err := rowOf(ctx, s.db.R, personID, messageID)
	if err != nil {
		return Message{}, err
	}
	if markRead && !r.read {
		if err := s.db.Tx(ctx, func(tx *sql.Tx) error { return setRead(ctx, tx, personID, messageID, true) }); err != nil {
			return Message{}, err
		}
		r.read = true
	}
	return s.message(ctx, r)
}

func (s *Service) message(ctx context.Context, r row) (Message, error) {
	domain, err := s.domain(ctx)
	if err != nil {
		return Message{}, err
	}
	atts, err := attachmentsOf(ctx, s.db.R, r.id)
	if err != nil {
		return Message{}, err
	}
	return Message{Summary: r.summary(domain), Body: r.body, InReplyTo: r.inReplyTo, ForwardOf: r.forwardOf, Attachments: atts}, nil
}

func (r row) summary(domain string) Summary {
	sum := Summary{ID: r.id, Folder: r.folder, System: r.kind == kindSystem, Subject: r.subject, SentAt: r.sentAt,
		Read: r.read, AttachmentCount: r.attachments}
	sum.From = Address{Name: r.senderName, Kind: PersonAddress}
	if r.kind == kindSystem {
		sum.From.Kind = SystemAddress
	} else if r.senderLogin != "" {
		sum.From.Address = r.senderLogin + "@" + domain
	}
	if err := json.Unmarshal([]byte(r.recipients), &sum.To); err != nil || sum.To == nil {
		sum.To = []Address{}
	}
	return sum
}

// SetRead marks a message read or unread.
func (s *Service) SetRead(ctx context.Context, personID, messageID int64, read bool) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error { return setRead(ctx, tx, personID, messageID, read) })
}

// MoveToTrash moves a message of the inbox or the sent folder into the
// trash. A message in the trash already is not found.
func (s *Service) MoveToTrash(ctx context.Context, personID, messageID int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error { return moveToTrash(ctx, tx, personID, messageID) })
}

// Restore moves a message from the trash back to where it was.
func (s *Service) Restore(ctx context.Context, personID, messageID int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error { return restore(ctx, tx, personID, messageID) })
}

// Delete removes a message from the trash for good. Only what is in the
// trash can be deleted, so a slip of the finger never loses a message.
// The message itself goes with its last copy.
func (s *Service) Delete(ctx context.Context, personID, messageID int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		err := deleteFromTrash(ctx, tx, personID, messageID)
		if errors.Is(err, ErrNotFound) {
			if _, err2 := rowOf(ctx, tx, personID, messageID); err2 == nil {
				return refuse(Invalid, "", "Nur Nachrichten im Papierkorb kann man endgültig löschen.", "message %d is not in the trash", messageID)
			}
		}
		return err
	})
}

// BlobInUse reports whether a message or a pending upload refers to the
// blob, so that the server can sweep the blobs nothing refers to.
func (s *Service) BlobInUse(ctx context.Context, hash string) (bool, error) {
	return blobInUse(ctx, s.db.R, hash)
}

// ReferencedBlobs lists every blob mail refers to, for one sweep over
// the blob store.
func (s *Service) ReferencedBlobs(ctx context.Context) (map[string]bool, error) {
	return referencedBlobs(ctx, s.db.R)
}

const (
	kindMail   = "mail"
	kindSystem = "system"
)
