package api_test

import "kaspel/shared/wire"

// The address book's rows: everyone logged in searches, reads entries
// and keeps their own profile; admins decide about pupils' entries.
func init() {
	matrix = append(matrix,
		matrixRow{method: "GET", pattern: "/api/v1/addressbook", who: "all", path: "/api/v1/addressbook?q=a&limit=5"},
		matrixRow{method: "GET", pattern: "/api/v1/addressbook/people/{login}", who: "all", path: "/api/v1/addressbook/people/{ab_person}"},
		matrixRow{method: "GET", pattern: "/api/v1/addressbook/profile", who: "all"},
		matrixRow{method: "PUT", pattern: "/api/v1/addressbook/profile", who: "all",
			body: wire.AddressbookProfileEdit{Fields: []wire.AddressbookFieldEdit{{Key: "room", Value: "Raum 1", Visibility: wire.VisibilityStaff}}}},
		matrixRow{method: "GET", pattern: "/api/v1/addressbook/allowances", who: "admin"},
		matrixRow{method: "PUT", pattern: "/api/v1/addressbook/allowances/{login}", who: "admin", path: "/api/v1/addressbook/allowances/{target}"},
		matrixRow{method: "DELETE", pattern: "/api/v1/addressbook/allowances/{login}", who: "admin", path: "/api/v1/addressbook/allowances/{target}"},
	)
	matrixSetups = append(matrixSetups, func(s *school, vars matrixVars) {
		vars["ab_person"] = s.Teacher
	})
}
