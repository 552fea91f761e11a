package api_test

import (
	"strconv"

	"kaspel/shared/wire"
)

// The chat's rows of the authorization matrix. Every logged-in person
// has rooms; who is in a room follows from the data (membership of class
// 3a here), so callers outside it get 404, which the matrix counts as let
// through the access layer. The rows name the callers the handler refuses
// with 403: the pupil, who is in 3a's room but may not mute it. The admin
// routes are for admins only, and even an admin sees chat content only
// through the open report the fixture makes.
func init() {
	const (
		room = "/api/v1/chat/rooms/{chatroom}"
		msg  = "/api/v1/chat/messages/{chatmsg}"
	)
	matrix = append(matrix,
		matrixRow{method: "GET", pattern: "/api/v1/chat/rooms", who: "all"},
		matrixRow{method: "GET", pattern: "/api/v1/chat/rooms/{id}", who: "all", path: room},
		matrixRow{method: "GET", pattern: "/api/v1/chat/rooms/{id}/messages", who: "all", path: room + "/messages?limit=10"},
		matrixRow{method: "POST", pattern: "/api/v1/chat/rooms/{id}/messages", who: "all", path: room + "/messages",
			body: wire.ChatSend{Body: "Matrix"}},
		matrixRow{method: "PUT", pattern: "/api/v1/chat/rooms/{id}/read", who: "all", path: room + "/read", body: wire.ChatRead{}},
		matrixRow{method: "PUT", pattern: "/api/v1/chat/rooms/{id}/settings", who: "all", path: room + "/settings",
			body: wire.ChatRoomSettings{PupilsMayWrite: true}, handlerDenies: []string{"pupil"}},
		matrixRow{method: "POST", pattern: "/api/v1/chat/direct", who: "all", body: wire.ChatDirect{Login: "niemand"}}, // 404 for everyone let in
		matrixRow{method: "GET", pattern: "/api/v1/chat/contacts", who: "all", path: "/api/v1/chat/contacts?q=a"},
		// Without a cursor the live update answers at once.
		matrixRow{method: "GET", pattern: "/api/v1/chat/events", who: "all"},
		matrixRow{method: "DELETE", pattern: "/api/v1/chat/messages/{id}", who: "all", path: "/api/v1/chat/messages/999999"},
		matrixRow{method: "GET", pattern: "/api/v1/chat/report-options", who: "all"},
		matrixRow{method: "POST", pattern: "/api/v1/chat/messages/{id}/report", who: "all", path: msg + "/report",
			body: wire.ChatReportRequest{Reason: "nonsense"}}, // 400 for members, 404 for others: nothing is reported
		matrixRow{method: "GET", pattern: "/api/v1/chat/reports", who: "all"},
		matrixRow{method: "GET", pattern: "/api/v1/admin/chat/reports", who: "admin"},
		matrixRow{method: "GET", pattern: "/api/v1/admin/chat/reports/{id}", who: "admin", path: "/api/v1/admin/chat/reports/{chatreport}"},
		matrixRow{method: "POST", pattern: "/api/v1/admin/chat/reports/{id}/close", who: "admin",
			path: "/api/v1/admin/chat/reports/999999/close", body: wire.ChatReportClose{Note: "Matrix"}},
	)
	// A message of Ben in 3a's room, reported by Anna.
	matrixSetups = append(matrixSetups, func(s *school, vars matrixVars) {
		ben := s.as(s.Pupil2)
		room := s.chatRoomOf(ben, "3a")
		m, err := ben.ChatSend(ctx, room, "Matrix-Nachricht")
		if err != nil {
			s.t.Fatalf("matrix setup: chat send: %v", err)
		}
		rep, err := s.as(s.Pupil).ChatReport(ctx, m.ID, wire.ChatReportRequest{Reason: "spam"})
		if err != nil {
			s.t.Fatalf("matrix setup: report: %v", err)
		}
		vars["chatroom"] = strconv.FormatInt(room, 10)
		vars["chatmsg"] = strconv.FormatInt(m.ID, 10)
		vars["chatreport"] = strconv.FormatInt(rep.ID, 10)
	})
}
