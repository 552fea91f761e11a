package mail

import (
	"context"
	"database/sql"
	"encoding/json"
)

// SeedInbox fills owner's inbox with n messages from sender at once,
// bypassing the sending rules: for the benchmark of a full mailbox
// (make bench), never for a school.
func (s *Service) SeedInbox(ctx context.Context, senderLogin, ownerLogin string, n int) error {
	sender, err := s.dir.Person(ctx, senderLogin)
	if err != nil {
		return err
	}
	owner, err := s.dir.Person(ctx, ownerLogin)
	if err != nil {
		return err
	}
	school, err := s.dir.School(ctx)
	if err != nil {
		return err
	}
	rcpt, err := json.Marshal([]map[string]string{{"address": school.Mail(owner.Login), "name": owner.Name(), "kind": "person"}})
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		return seedInbox(ctx, tx, sender, sender.Name(), owner.ID, string(rcpt), n, s.now())
	})
}
