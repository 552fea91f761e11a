package serverapi

import (
	"context"
	"fmt"
	"net/url"

	"kaspel/shared/wire"
)

// The PC room as people use it: admins manage rooms, enrollment codes and
// computers; teachers see a room and command its computers. (The
// computer's own calls are the agent's, in client/agent.)

// Rooms lists the rooms (teachers and admins).
func (c *Client) Rooms(ctx context.Context) ([]wire.Room, error) {
	var r wire.Rooms
	err := c.do(ctx, request{method: "GET", path: "/api/v1/rooms", out: &r})
	return r.Rooms, err
}

// AddRoom makes a room (admins).
func (c *Client) AddRoom(ctx context.Context, name, note string) (wire.Room, error) {
	var r wire.Room
	err := c.do(ctx, request{method: "POST", path: "/api/v1/admin/rooms", json: wire.NewRoom{Name: name, Note: note}, out: &r})
	return r, err
}

// EditRoom renames a room or changes its note (admins).
func (c *Client) EditRoom(ctx context.Context, id int64, e wire.RoomEdit) (wire.Room, error) {
	var r wire.Room
	err := c.do(ctx, request{method: "PATCH", path: fmt.Sprintf("/api/v1/admin/rooms/%d", id), json: e, out: &r})
	return r, err
}

// DeleteRoom removes an empty room (admins).
func (c *Client) DeleteRoom(ctx context.Context, id int64) error {
	return c.do(ctx, request{method: "DELETE", path: fmt.Sprintf("/api/v1/admin/rooms/%d", id)})
}

// EnrollmentCodes lists the enrollment codes, newest first (admins).
func (c *Client) EnrollmentCodes(ctx context.Context) ([]wire.EnrollmentCode, error) {
	var r wire.EnrollmentCodes
	err := c.do(ctx, request{method: "GET", path: "/api/v1/admin/enrollment-codes", out: &r})
	return r.Codes, err
}

// CreateEnrollmentCodes makes one-time codes; the answer is the only
// place the codes themselves appear (admins).
func (c *Client) CreateEnrollmentCodes(ctx context.Context, req wire.EnrollmentCodeRequest) ([]wire.EnrollmentCode, error) {
	var r wire.EnrollmentCodes
	err := c.do(ctx, request{method: "POST", path: "/api/v1/admin/enrollment-codes", json: req, out: &r})
	return r.Codes, err
}

// RevokeEnrollmentCode withdraws an unused code (admins).
func (c *Client) RevokeEnrollmentCode(ctx context.Context, id int64) error {
	return c.do(ctx, request{method: "DELETE", path: fmt.Sprintf("/api/v1/admin/enrollment-codes/%d", id)})
}

// Computers lists the enrolled computers, of one room if room is not 0
// (admins).
func (c *Client) Computers(ctx context.Context, room int64) ([]wire.Computer, error) {
	var q url.Values
	if room != 0 {
		q = url.Values{"room": {fmt.Sprint(room)}}
	}
	var r wire.Computers
	err := c.do(ctx, request{method: "GET", path: "/api/v1/admin/computers", query: q, out: &r})
	return r.Computers, err
}

// EditComputer renames a computer or moves it to another room (admins).
func (c *Client) EditComputer(ctx context.Context, id int64, e wire.ComputerEdit) (wire.Computer, error) {
	var r wire.Computer
	err := c.do(ctx, request{method: "PATCH", path: fmt.Sprintf("/api/v1/admin/computers/%d", id), json: e, out: &r})
	return r, err
}

// DeleteComputer removes a computer (admins).
func (c *Client) DeleteComputer(ctx context.Context, id int64) error {
	return c.do(ctx, request{method: "DELETE", path: fmt.Sprintf("/api/v1/admin/computers/%d", id)})
}

// RevokeComputerKey revokes a computer's key: its agent is refused from
// then on (admins).
func (c *Client) RevokeComputerKey(ctx context.Context, id int64) error {
	return c.do(ctx, request{method: "DELETE", path: fmt.Sprintf("/api/v1/admin/computers/%d/key", id)})
}

// RoomView returns a room's computers with who is logged in and whether
// they are online (teachers and admins).
func (c *Client) RoomView(ctx context.Context, room int64) (wire.RoomView, error) {
	var r wire.RoomView
	err := c.do(ctx, request{method: "GET", path: fmt.Sprintf("/api/v1/rooms/%d", room), out: &r})
	return r, err
}

// RoomCommand sends lock, unlock, logout or a message to the computers
// named in cmd, or to all of the room's when it names none (teachers and
// admins). It returns the names of the computers that got it.
func (c *Client) RoomCommand(ctx context.Context, room int64, cmd wire.RoomCommand) ([]string, error) {
	var r wire.RoomCommandResult
	err := c.do(ctx, request{method: "POST", path: fmt.Sprintf("/api/v1/rooms/%d/commands", room), json: cmd, out: &r})
	return r.Sent, err
}
