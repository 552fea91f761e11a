package api_test

import (
	"strconv"

	"kaspel/shared/wire"
)

// The PC room's rows of the authorization matrix. Admins manage rooms,
// codes and computers; teachers (and admins) use the room view.
//
// The computer routes (/api/v1/pc/...) are "public" in the matrix's
// sense: no user session is needed, and none helps. They check the
// computer key themselves, so every caller of the matrix (who has at most
// a session) gets 401 computer_unauthenticated there; that code is an
// allowed refusal below because it comes from the missing key, not from
// the session's access rule. TestComputerKeyIsNoSession checks the key
// itself, both ways.
func init() {
	allowedRefusals = append(allowedRefusals, wire.CodeComputerUnauthenticated)
	const (
		room = "/api/v1/admin/rooms/{pcroom}"
		pc   = "/api/v1/admin/computers/{pccomputer}"
	)
	matrix = append(matrix,
		matrixRow{method: "GET", pattern: "/api/v1/admin/rooms", who: "admin"},
		matrixRow{method: "POST", pattern: "/api/v1/admin/rooms", who: "admin", body: wire.NewRoom{Name: ""}}, // 400 for an admin
		matrixRow{method: "PATCH", pattern: "/api/v1/admin/rooms/{room}", who: "admin", path: room, body: wire.RoomEdit{}},
		matrixRow{method: "DELETE", pattern: "/api/v1/admin/rooms/{room}", who: "admin", path: room}, // has a computer: 409
		matrixRow{method: "GET", pattern: "/api/v1/admin/enrollment-codes", who: "admin"},
		matrixRow{method: "POST", pattern: "/api/v1/admin/enrollment-codes", who: "admin", body: wire.EnrollmentCodeRequest{Count: 1000}}, // 400
		matrixRow{method: "DELETE", pattern: "/api/v1/admin/enrollment-codes/{code}", who: "admin", path: "/api/v1/admin/enrollment-codes/{pccode}"},
		matrixRow{method: "GET", pattern: "/api/v1/admin/computers", who: "admin"},
		matrixRow{method: "PATCH", pattern: "/api/v1/admin/computers/{computer}", who: "admin", path: pc, body: wire.ComputerEdit{}},
		matrixRow{method: "DELETE", pattern: "/api/v1/admin/computers/{computer}", who: "admin", path: "/api/v1/admin/computers/999999"},
		matrixRow{method: "DELETE", pattern: "/api/v1/admin/computers/{computer}/key", who: "admin", path: "/api/v1/admin/computers/999999/key"},
		matrixRow{method: "GET", pattern: "/api/v1/rooms", who: "teacher,admin"},
		matrixRow{method: "GET", pattern: "/api/v1/rooms/{room}", who: "teacher,admin", path: "/api/v1/rooms/{pcroom}"},
		matrixRow{method: "POST", pattern: "/api/v1/rooms/{room}/commands", who: "teacher,admin", path: "/api/v1/rooms/{pcroom}/commands",
			body: wire.RoomCommand{Kind: wire.CommandMessage, Text: "Matrix"}},
		matrixRow{method: "POST", pattern: "/api/v1/pc/enroll", who: "public", body: wire.EnrollRequest{Code: "", Name: "PC-99", Room: "x", Mode: "pcroom"}},
		matrixRow{method: "GET", pattern: "/api/v1/pc/self", who: "public"},
		matrixRow{method: "POST", pattern: "/api/v1/pc/heartbeat", who: "public", body: wire.Heartbeat{}},
		matrixRow{method: "PUT", pattern: "/api/v1/pc/user", who: "public", body: wire.UserReport{}},
		matrixRow{method: "GET", pattern: "/api/v1/pc/commands", who: "public", path: "/api/v1/pc/commands?wait=0"},
		matrixRow{method: "POST", pattern: "/api/v1/pc/commands/ack", who: "public", body: wire.CommandAck{}},
	)
	// A room with one enrolled PC-room computer, and an open code.
	matrixSetups = append(matrixSetups, func(s *school, vars matrixVars) {
		adm := s.as(s.Admin)
		r, err := adm.AddRoom(ctx, "Matrix-Raum", "")
		if err != nil {
			s.t.Fatalf("matrix setup: room: %v", err)
		}
		vars["pcroom"] = strconv.FormatInt(r.ID, 10)
		codes, err := adm.CreateEnrollmentCodes(ctx, wire.EnrollmentCodeRequest{Count: 2})
		if err != nil {
			s.t.Fatalf("matrix setup: codes: %v", err)
		}
		e := s.enroll(codes[0].Code, "Matrix-PC", "Matrix-Raum", wire.ModePCRoom)
		vars["pccomputer"] = strconv.FormatInt(e.Computer.ID, 10)
		vars["pccode"] = strconv.FormatInt(codes[1].ID, 10)
	})
}
