package addressbook

// All SQL of the address book lives in this file. It reads and writes the
// module's own tables only; people come from the directory's service.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"kaspel/server/store"
)

// querier is what both *sql.Tx and *sql.DB offer.
type querier = store.Querier

// storedField is one row of addressbook_fields.
type storedField struct {
	Key        string
	Value      string
	Visibility Visibility
}

// decision is one row of addressbook_pupil_extras.
type decision struct {
	Allowed   bool
	DecidedBy string
	DecidedAt time.Time
}

// fieldsOf reads the fields of the people, per person.
func fieldsOf(ctx context.Context, q querier, ids []int64) (map[int64][]storedField, error) {
	out := map[int64][]storedField{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT person_id, field, value, visibility FROM addressbook_fields
		WHERE person_id IN (SELECT value FROM json_each(?))`, store.IDsJSON(ids))
	if err != nil {
		return nil, fmt.Errorf("addressbook: read fields: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var f storedField
		if err := rows.Scan(&id, &f.Key, &f.Value, &f.Visibility); err != nil {
			return nil, fmt.Errorf("addressbook: read fields: %w", err)
		}
		out[id] = append(out[id], f)
	}
	return out, rows.Err()
}

// replaceFields makes the person's fields exactly fs.
func replaceFields(ctx context.Context, tx *sql.Tx, personID int64, fs []storedField, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM addressbook_fields WHERE person_id = ?`, personID); err != nil {
		return fmt.Errorf("addressbook: clear fields: %w", err)
	}
	for _, f := range fs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO addressbook_fields (person_id, field, value, visibility, updated_at)
			VALUES (?, ?, ?, ?, ?)`, personID, f.Key, f.Value, string(f.Visibility), store.FormatTime(now)); err != nil {
			return fmt.Errorf("addressbook: write field %s: %w", f.Key, err)
		}
	}
	return nil
}

// decisionsOf reads the admins' decisions about the pupils, per person.
func decisionsOf(ctx context.Context, q querier, ids []int64) (map[int64]decision, error) {
	out := map[int64]decision{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT person_id, allowed, decided_by, decided_at FROM addressbook_pupil_extras
		WHERE person_id IN (SELECT value FROM json_each(?))`, store.IDsJSON(ids))
	if err != nil {
		return nil, fmt.Errorf("addressbook: read decisions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var d decision
		var at string
		if err := rows.Scan(&id, &d.Allowed, &d.DecidedBy, &at); err != nil {
			return nil, fmt.Errorf("addressbook: read decisions: %w", err)
		}
		d.DecidedAt, _ = store.ParseTime(at)
		out[id] = d
	}
	return out, rows.Err()
}

// decisionOf reads the decision about one pupil; the zero decision (not
// allowed, nobody decided) if there is none.
func decisionOf(ctx context.Context, q querier, id int64) (decision, error) {
	var d decision
	var at string
	err := q.QueryRowContext(ctx, `SELECT allowed, decided_by, decided_at FROM addressbook_pupil_extras WHERE person_id = ?`, id).
		Scan(&d.Allowed, &d.DecidedBy, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return decision{}, nil
	}
	if err != nil {
		return d, fmt.Errorf("addressbook: read decision: %w", err)
	}
	d.DecidedAt, _ = store.ParseTime(at)
	return d, nil
}

// allowedIDs lists the pupils whose extras an admin allowed.
func allowedIDs(ctx context.Context, q querier) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT person_id FROM addressbook_pupil_extras WHERE allowed = 1 ORDER BY person_id`)
	if err != nil {
		return nil, fmt.Errorf("addressbook: list allowed: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("addressbook: list allowed: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// putDecision records an admin's decision about a pupil.
func putDecision(ctx context.Context, tx *sql.Tx, personID int64, d decision) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO addressbook_pupil_extras (person_id, allowed, decided_by, decided_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (person_id) DO UPDATE SET allowed = excluded.allowed, decided_by = excluded.decided_by, decided_at = excluded.decided_at`,
		personID, d.Allowed, d.DecidedBy, store.FormatTime(d.DecidedAt))
	if err != nil {
		return fmt.Errorf("addressbook: record decision: %w", err)
	}
	return nil
}
