package session

// All SQL of the sessions lives in this file.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"kaspel/server/store"
)

func insertSession(ctx context.Context, tx *sql.Tx, hash []byte, s Session) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, person_id, created_at, last_seen, computer, source)
		VALUES (?, ?, ?, ?, ?, ?)`, hash, s.PersonID, store.FormatTime(s.Created), store.FormatTime(s.LastSeen), s.Computer, s.Source)
	if err != nil {
		return 0, fmt.Errorf("session: create: %w", err)
	}
	return res.LastInsertId()
}

func sessionByHash(ctx context.Context, db *sql.DB, hash []byte) (Session, error) {
	var s Session
	var created, seen string
	err := db.QueryRowContext(ctx, `SELECT id, person_id, created_at, last_seen, computer, source FROM sessions WHERE token_hash = ?`, hash).
		Scan(&s.ID, &s.PersonID, &created, &seen, &s.Computer, &s.Source)
	if errors.Is(err, sql.ErrNoRows) {
		return s, store.ErrNotFound
	}
	if err != nil {
		return s, fmt.Errorf("session: lookup: %w", err)
	}
	s.Created, _ = store.ParseTime(created)
	s.LastSeen, _ = store.ParseTime(seen)
	return s, nil
}

func touchSession(ctx context.Context, tx *sql.Tx, id int64, t time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen = ? WHERE id = ?`, store.FormatTime(t), id); err != nil {
		return fmt.Errorf("session: touch: %w", err)
	}
	return nil
}

func deleteSession(ctx context.Context, tx *sql.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, id); err != nil {
		return fmt.Errorf("session: delete: %w", err)
	}
	return nil
}

func deletePersonSessions(ctx context.Context, tx *sql.Tx, personID, keep int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE person_id = ? AND id != ?`, personID, keep); err != nil {
		return fmt.Errorf("session: delete all: %w", err)
	}
	return nil
}

func deleteExpired(ctx context.Context, tx *sql.Tx, idleCut, ageCut time.Time) (int64, error) {
	res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE last_seen <= ? OR created_at <= ?`,
		store.FormatTime(idleCut), store.FormatTime(ageCut))
	if err != nil {
		return 0, fmt.Errorf("session: sweep: %w", err)
	}
	return res.RowsAffected()
}
