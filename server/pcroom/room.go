package pcroom

import (
	"context"
	"database/sql"
	"fmt"

	"kaspel/server/audit"
	"kaspel/server/directory"
)

// record writes a protocol line for an action of a person in tx.
func (s *Service) record(ctx context.Context, tx *sql.Tx, actor directory.Actor, action, target, computer, detail string) error {
	return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor.Name, Action: action, Target: target, Success: true,
		Source: actor.Source, Service: actor.Service, Computer: computer, Detail: detail})
}

// Rooms lists the rooms with the number of their computers.
func (s *Service) Rooms(ctx context.Context) ([]Room, error) {
	return listRooms(ctx, s.db.R)
}

// Room returns one room.
func (s *Service) Room(ctx context.Context, id int64) (Room, error) {
	return roomByID(ctx, s.db.R, id)
}

// AddRoom makes a room.
func (s *Service) AddRoom(ctx context.Context, actor directory.Actor, name, note string) (Room, error) {
	name, err := cleanRoomName(name)
	if err != nil {
		return Room{}, err
	}
	note, ok := cleanText(note, maxNote, false)
	if !ok {
		return Room{}, refuse(Invalid, "note", "Die Notiz darf höchstens 200 Zeichen haben.", "room note too long")
	}
	r := Room{Name: name, Note: note, CreatedAt: s.now()}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := insertRoom(ctx, tx, &r); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, "room.add", name, "", note)
	})
	return r, err
}

// EditRoom renames a room or changes its note (nil: unchanged).
func (s *Service) EditRoom(ctx context.Context, actor directory.Actor, id int64, name, note *string) (Room, error) {
	var r Room
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		r, err = roomByID(ctx, tx, id)
		if err != nil {
			return err
		}
		old := r.Name
		if name != nil {
			if r.Name, err = cleanRoomName(*name); err != nil {
				return err
			}
		}
		if note != nil {
			var ok bool
			if r.Note, ok = cleanText(*note, maxNote, false); !ok {
				return refuse(Invalid, "note", "Die Notiz darf höchstens 200 Zeichen haben.", "room note too long")
			}
		}
		if err := updateRoom(ctx, tx, r); err != nil {
			return err
		}
		detail := ""
		if old != r.Name {
			detail = fmt.Sprintf("renamed from %s", old)
		}
		return s.record(ctx, tx, actor, "room.edit", r.Name, "", detail)
	})
	return r, err
}

// DeleteRoom removes an empty room. A room with computers stays: they
// would lose their place, so the admin moves (or removes) them first.
func (s *Service) DeleteRoom(ctx context.Context, actor directory.Actor, id int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		r, err := roomByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if r.Computers > 0 {
			return refuse(Conflict, "", fmt.Sprintf("Im Raum „%s“ stehen noch %d Computer. Verschiebe oder entferne sie zuerst.", r.Name, r.Computers),
				"room %q has %d computers", r.Name, r.Computers)
		}
		if err := deleteRoom(ctx, tx, id); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, "room.delete", r.Name, "", "")
	})
}

// RoomView is a room with its computers, for the teacher's grid.
func (s *Service) RoomView(ctx context.Context, id int64) (Room, []Computer, error) {
	r, err := roomByID(ctx, s.db.R, id)
	if err != nil {
		return r, nil, err
	}
	list, err := queryComputers(ctx, s.db.R, "WHERE c.room_id = ?", id)
	return r, list, err
}
