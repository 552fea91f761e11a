package mail

// The SQL of the search (the rest of the module's is in mail_store.go).

import (
	"context"
	"fmt"
	"strings"
)

// searchQuery builds the query of a search and its parameters. It walks
// the person's mailbox rows backwards from the cursor along the primary
// key (person_id, message_id), in one folder too: "+b.folder" keeps the
// planner from mail_boxes_page, whose rows lack the read mark and would
// each cost a second look-up (a third slower on 100,000 messages).
// CROSS JOIN keeps mail_boxes the outer loop, so that the planner never
// scans the whole school's messages for the words. Each term is a group
// of alternatives (the fields it may be in), cheap columns first, the
// body and the attachments' names last; every group must hold.
func searchQuery(personID int64, folder Folder, before int64, terms []searchTerm, domain string, limit int) (string, []any) {
	var b strings.Builder
	b.WriteString(`SELECT ` + fmt.Sprintf(rowCols, `m.body`) + `
	FROM mail_boxes b CROSS JOIN mail_messages m ON m.id = b.message_id
	WHERE b.person_id = ? AND b.message_id < ?`)
	args := []any{personID, before}
	if folder != "" {
		b.WriteString(` AND +b.folder = ?`)
		args = append(args, folder)
	}
	for _, t := range terms {
		// like tests a column: against the exact patterns too where the
		// term has them.
		like := func(col, pattern string, exact []string) string {
			args = append(args, pattern)
			cond := col + ` LIKE ? ESCAPE '\'`
			if len(exact) == 0 {
				return cond
			}
			alts := make([]string, len(exact))
			for i, p := range exact {
				args = append(args, p)
				alts[i] = col + ` LIKE ? ESCAPE '\'`
			}
			return "(" + cond + " AND (" + strings.Join(alts, " OR ") + "))"
		}
		alts := []string{like("m.subject", t.like, t.exact), like("m.sender_name", t.like, t.exact)}
		switch pattern, all, none := t.senderLike(domain); {
		case all:
			alts = append(alts, `m.sender_login <> ''`)
		case !none:
			alts = append(alts, like("m.sender_login", pattern, nil))
		}
		alts = append(alts, like("m.recipients", t.likeJSON, nil), like("m.body", t.like, t.exact))
		// The attachments: the messages of this mailbox with a name that
		// may match, read once (when a message gets this far): a third
		// faster than asking for each message.
		args = append(args, personID, before)
		alts = append(alts, `m.id IN (SELECT a.message_id FROM mail_boxes ab CROSS JOIN mail_attachments a ON a.message_id = ab.message_id
		WHERE ab.person_id = ? AND ab.message_id < ? AND `+like("a.name", t.like, t.exact)+`)`)
		b.WriteString("\n\tAND (" + strings.Join(alts, " OR ") + ")")
	}
	b.WriteString("\n\tORDER BY b.message_id DESC LIMIT ?")
	return b.String(), append(args, limit)
}

// searchOf reads up to limit messages of a person's mailbox (one folder,
// or all with folder "") below a cursor, newest first, that may have
// every term: the query lets through every message that has them, and a
// few more (see searchTerm), which Search sorts out.
func searchOf(ctx context.Context, q querier, personID int64, folder Folder, before int64, terms []searchTerm, domain string, limit int) ([]row, error) {
	query, args := searchQuery(personID, folder, before, terms, domain, limit)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("mail: search: %w", err)
	}
	defer rows.Close()
	var out []row
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return nil, fmt.Errorf("mail: search: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
