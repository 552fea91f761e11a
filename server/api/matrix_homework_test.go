package api_test

import (
	"strconv"
	"strings"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// hwMatrixInput is the body of the rows that set and change a homework;
// the setup fills in today's dates, which the rules need.
var hwMatrixInput = &wire.HomeworkInput{}

// hwFromFiles is the body of the routes that take a file from "Meine
// Dateien"; the setup fills in files of the teacher and the pupil.
type hwFromFiles struct {
	File int64 `json:"file"`
}

var hwMatrixSheetFromFiles, hwMatrixHandinFromFiles = &hwFromFiles{}, &hwFromFiles{}

// The homework module's rows of the authorization matrix. Setting and
// managing homework is for teachers and admins, handing in for pupils;
// which homework a caller sees follows from the class, so the rows name
// the callers the handlers refuse with 403: the teacher without a class
// (who may not set homework for 3a nor see its overview) and the admin
// (who manages every class's homework but does not read the children's
// work). Callers who do not see the homework at all get 404, which the
// matrix counts as let through the access layer.
func init() {
	const (
		hw      = "/api/v1/homework/{hw}"
		handins = hw + "/handins/{hw_pupil}"
	)
	matrix = append(matrix,
		matrixRow{method: "GET", pattern: "/api/v1/homework", who: "all"},
		matrixRow{method: "POST", pattern: "/api/v1/homework", who: "teacher,admin", body: hwMatrixInput, handlerDenies: []string{"protocol"}},
		matrixRow{method: "GET", pattern: "/api/v1/homework/groups", who: "teacher,admin"},
		matrixRow{method: "GET", pattern: "/api/v1/homework/due-dates", who: "teacher,admin", path: "/api/v1/homework/due-dates?start={hw_start}"},
		matrixRow{method: "GET", pattern: "/api/v1/homework/overview", who: "teacher,admin", path: "/api/v1/homework/overview?group=3a",
			handlerDenies: []string{"protocol"}},
		matrixRow{method: "GET", pattern: "/api/v1/homework/{id}", who: "all", path: hw},
		matrixRow{method: "PUT", pattern: "/api/v1/homework/{id}", who: "teacher,admin", path: hw, body: hwMatrixInput},
		// The teacher deletes it; later callers find nothing (404).
		matrixRow{method: "DELETE", pattern: "/api/v1/homework/{id}", who: "teacher,admin", path: "/api/v1/homework/{hw_doomed}"},
		matrixRow{method: "POST", pattern: "/api/v1/homework/{id}/files", who: "teacher,admin", path: hw + "/files?name=blatt.txt", body: "Blatt"},
		// A file of the class teacher's own: she takes it (201), the admin
		// does not see it (404).
		matrixRow{method: "POST", pattern: "/api/v1/homework/{id}/files/from-files", who: "teacher,admin", path: hw + "/files/from-files",
			body: hwMatrixSheetFromFiles},
		matrixRow{method: "GET", pattern: "/api/v1/homework/{id}/files/{file}", who: "all", path: hw + "/files/{hw_file}"},
		matrixRow{method: "DELETE", pattern: "/api/v1/homework/{id}/files/{file}", who: "teacher,admin", path: hw + "/files/{hw_doomed_file}"},
		matrixRow{method: "PUT", pattern: "/api/v1/homework/{id}/progress", who: "pupil", path: hw + "/progress",
			body: wire.HomeworkProgress{State: wire.HomeworkStarted}},
		matrixRow{method: "PUT", pattern: "/api/v1/homework/{id}/handin", who: "pupil", path: hw + "/handin", body: wire.HomeworkText{Text: "Fertig"}},
		matrixRow{method: "POST", pattern: "/api/v1/homework/{id}/handin/files", who: "pupil", path: hw + "/handin/files?name=foto.jpg", body: "Foto"},
		matrixRow{method: "POST", pattern: "/api/v1/homework/{id}/handin/files/from-files", who: "pupil", path: hw + "/handin/files/from-files",
			body: hwMatrixHandinFromFiles},
		matrixRow{method: "GET", pattern: "/api/v1/homework/{id}/handin/files/{file}", who: "pupil", path: hw + "/handin/files/{hw_handin_file}"},
		matrixRow{method: "DELETE", pattern: "/api/v1/homework/{id}/handin/files/{file}", who: "pupil", path: hw + "/handin/files/{hw_handin_doomed}"},
		matrixRow{method: "GET", pattern: "/api/v1/homework/{id}/handins", who: "teacher,admin", path: hw + "/handins", handlerDenies: []string{"admin"}},
		matrixRow{method: "GET", pattern: "/api/v1/homework/{id}/handins/{login}", who: "teacher,admin", path: handins, handlerDenies: []string{"admin"}},
		// Feedback for the classmate: it closes the hand-in, and the
		// fixture's pupil still hands in above.
		matrixRow{method: "PUT", pattern: "/api/v1/homework/{id}/handins/{login}/feedback", who: "teacher,admin",
			path: hw + "/handins/{hw_pupil2}/feedback", body: wire.HomeworkText{Text: "Gut gemacht"}, handlerDenies: []string{"admin"}},
		matrixRow{method: "GET", pattern: "/api/v1/homework/{id}/handins/{login}/files/{file}", who: "teacher,admin",
			path: handins + "/files/{hw_handin_file}", handlerDenies: []string{"admin"}},
	)
	// A homework of 3a by its teacher with two worksheets, a second one
	// to delete, and two files the fixture's pupil handed in.
	matrixSetups = append(matrixSetups, func(s *school, vars matrixVars) {
		s.t.Helper()
		tina, anna := s.as(s.Teacher), s.as(s.Pupil)
		dates, err := tina.HomeworkDueDates(ctx, "")
		if err != nil {
			s.t.Fatalf("matrix setup: due dates: %v", err)
		}
		*hwMatrixInput = wire.HomeworkInput{Group: "3a", Title: "Matrix", Text: "Seite 1", Start: dates.Start, Due: dates.EarliestDue}
		set := func() wire.Homework {
			h, err := tina.SetHomework(ctx, *hwMatrixInput)
			if err != nil {
				s.t.Fatalf("matrix setup: set homework: %v", err)
			}
			return h
		}
		h, doomed := set(), set()
		id := func(n int64) string { return strconv.FormatInt(n, 10) }
		vars["hw"], vars["hw_doomed"], vars["hw_start"] = id(h.ID), id(doomed.ID), dates.Start
		vars["hw_pupil"], vars["hw_pupil2"] = s.Pupil, s.Pupil2
		for _, name := range []string{"hw_file", "hw_doomed_file"} {
			f, err := tina.AddHomeworkFile(ctx, h.ID, name+".txt", strings.NewReader("Arbeitsblatt"), -1)
			if err != nil {
				s.t.Fatalf("matrix setup: worksheet: %v", err)
			}
			vars[name] = id(f.ID)
		}
		for _, name := range []string{"hw_handin_file", "hw_handin_doomed"} {
			f, err := anna.HandInFile(ctx, h.ID, name+".txt", strings.NewReader("Meine Lösung"), -1)
			if err != nil {
				s.t.Fatalf("matrix setup: hand-in: %v", err)
			}
			vars[name] = id(f.ID)
		}
		// A file in "Meine Dateien" of the teacher and one of the pupil.
		for _, x := range []struct {
			c    *serverapi.Client
			body *hwFromFiles
		}{{tina, hwMatrixSheetFromFiles}, {anna, hwMatrixHandinFromFiles}} {
			f, err := x.c.FilesUpload(ctx, s.filesRoot(x.c, wire.FilesPersonal, ""), "Meine Datei.txt", strings.NewReader("Aus Meine Dateien"), -1)
			if err != nil {
				s.t.Fatalf("matrix setup: files upload: %v", err)
			}
			x.body.File = f.ID
		}
	})
}
