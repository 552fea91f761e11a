package store

import (
	"context"
	"database/sql"
	"strconv"
)

// Querier is what both *sql.Tx and *sql.DB offer: the components' reads
// and writes take either, so that a read runs alone or inside a change.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// IDsJSON writes ids as a JSON array, for one parameter in
// `WHERE id IN (SELECT value FROM json_each(?))` however many there are.
func IDsJSON(ids []int64) string {
	b := make([]byte, 0, 2+8*len(ids))
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}
