package api_test

import (
	"strconv"
	"strings"

	"kaspel/shared/wire"
)

// The mail module's rows of the authorization matrix. Every logged-in
// person has a mailbox; inspections are for admins only. Callers who are
// let in but do not have the message get 404, which the matrix counts as
// allowed: it checks the access layer, the mail tests check the rest.
func init() {
	const (
		msg = "/api/v1/mail/messages/{mailmsg}"
		ins = "/api/v1/admin/mail/inspections/{inspection}"
	)
	matrix = append(matrix,
		matrixRow{method: "GET", pattern: "/api/v1/mail/folders", who: "all"},
		matrixRow{method: "GET", pattern: "/api/v1/mail/folders/{folder}", who: "all", path: "/api/v1/mail/folders/inbox?limit=10"},
		matrixRow{method: "GET", pattern: "/api/v1/mail/search", who: "all", path: "/api/v1/mail/search?q=Matrix&limit=10"},
		matrixRow{method: "POST", pattern: "/api/v1/mail/messages", who: "all",
			body: wire.MailSend{To: []string{"jemand@example.org"}, Subject: "Hallo"}}, // refused as external: 400, not 403
		matrixRow{method: "GET", pattern: "/api/v1/mail/messages/{id}", who: "all", path: msg},
		matrixRow{method: "PUT", pattern: "/api/v1/mail/messages/{id}/read", who: "all", path: msg + "/read"},
		matrixRow{method: "DELETE", pattern: "/api/v1/mail/messages/{id}/read", who: "all", path: msg + "/read"},
		matrixRow{method: "POST", pattern: "/api/v1/mail/messages/{id}/trash", who: "all", path: msg + "/trash"},
		matrixRow{method: "POST", pattern: "/api/v1/mail/messages/{id}/restore", who: "all", path: msg + "/restore"},
		matrixRow{method: "DELETE", pattern: "/api/v1/mail/messages/{id}", who: "all", path: "/api/v1/mail/messages/999999"},
		matrixRow{method: "GET", pattern: "/api/v1/mail/messages/{id}/attachments/{att}", who: "all", path: msg + "/attachments/{mailatt}"},
		matrixRow{method: "POST", pattern: "/api/v1/mail/uploads", who: "all", path: "/api/v1/mail/uploads?name=notiz.txt", body: "Notiz"},
		matrixRow{method: "GET", pattern: "/api/v1/mail/uploads", who: "all"},
		matrixRow{method: "DELETE", pattern: "/api/v1/mail/uploads/{id}", who: "all", path: "/api/v1/mail/uploads/999999"},
		matrixRow{method: "GET", pattern: "/api/v1/mail/recipients", who: "all", path: "/api/v1/mail/recipients?q=a"},
		matrixRow{method: "POST", pattern: "/api/v1/admin/mail/inspections", who: "admin",
			body: wire.MailInspectionRequest{Login: "niemand", Reason: ""}}, // no reason: 400 for an admin
		matrixRow{method: "GET", pattern: "/api/v1/admin/mail/inspections/{inspection}/folders", who: "admin", path: ins + "/folders"},
		matrixRow{method: "GET", pattern: "/api/v1/admin/mail/inspections/{inspection}/folders/{folder}", who: "admin", path: ins + "/folders/inbox"},
		matrixRow{method: "GET", pattern: "/api/v1/admin/mail/inspections/{inspection}/messages/{id}", who: "admin", path: ins + "/messages/{mailmsg}"},
		matrixRow{method: "GET", pattern: "/api/v1/admin/mail/inspections/{inspection}/messages/{id}/attachments/{att}", who: "admin",
			path: ins + "/messages/{mailmsg}/attachments/{mailatt}"},
	)
	// A message with an attachment from the fixture's pupil to a
	// classmate, and an inspection of the pupil's mailbox by the admin.
	matrixSetups = append(matrixSetups, func(s *school, vars matrixVars) {
		anna := s.as(s.Pupil)
		up, err := anna.MailUpload(ctx, "bild.txt", strings.NewReader("Ein Bild"), -1)
		if err != nil {
			s.t.Fatalf("matrix setup: upload: %v", err)
		}
		m, err := anna.MailSend(ctx, wire.MailSend{To: []string{s.Pupil2}, Subject: "Matrix", Body: "Hallo", Attachments: []int64{up.ID}})
		if err != nil {
			s.t.Fatalf("matrix setup: send: %v", err)
		}
		vars["mailmsg"] = strconv.FormatInt(m.ID, 10)
		vars["mailatt"] = strconv.FormatInt(m.Attachments[0].ID, 10)
		in, err := s.as(s.Admin).InspectMailbox(ctx, s.Pupil, "Matrix-Test")
		if err != nil {
			s.t.Fatalf("matrix setup: inspection: %v", err)
		}
		vars["inspection"] = in.ID
	})
}
