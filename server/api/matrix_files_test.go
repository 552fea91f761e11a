package api_test

import (
	"strconv"
	"strings"

	"kaspel/shared/wire"
)

// The files module's rows of the authorization matrix. Every logged-in
// person has their own folder; who may read or change a class's folder
// follows from the data (membership of class 3a), so callers outside it
// get 404 (let through the access layer), and the rows name the callers
// the handler refuses with 403: the pupil, who reads 3a's folder but may
// not change it.
func init() {
	const (
		folder = "/api/v1/files/folders/{files_class}"
		file   = "/api/v1/files/files/{files_file}"
	)
	pupil := []string{"pupil"}
	matrix = append(matrix,
		matrixRow{method: "GET", pattern: "/api/v1/files/folders", who: "all"},
		matrixRow{method: "GET", pattern: "/api/v1/files/folders/{id}", who: "all", path: folder},
		matrixRow{method: "POST", pattern: "/api/v1/files/folders/{id}/folders", who: "all", path: folder + "/folders",
			body: wire.FilesNewFolder{Name: "Matrix"}, handlerDenies: pupil},
		// A root: the teacher gets 409, the pupil 403 before that.
		matrixRow{method: "PATCH", pattern: "/api/v1/files/folders/{id}", who: "all", path: folder,
			body: wire.FilesFolderChange{Name: "Anders"}, handlerDenies: pupil},
		matrixRow{method: "DELETE", pattern: "/api/v1/files/folders/{id}", who: "all", path: folder, handlerDenies: pupil},
		matrixRow{method: "POST", pattern: "/api/v1/files/folders/{id}/files", who: "all", path: folder + "/files?name=notiz.txt",
			body: "Notiz", handlerDenies: pupil},
		matrixRow{method: "GET", pattern: "/api/v1/files/files/{id}", who: "all", path: file},
		matrixRow{method: "PATCH", pattern: "/api/v1/files/files/{id}", who: "all", path: file,
			body: wire.FilesFileChange{Name: "Arbeitsblatt.txt"}, handlerDenies: pupil},
		matrixRow{method: "DELETE", pattern: "/api/v1/files/files/{id}", who: "all", path: "/api/v1/files/files/999999"},
		matrixRow{method: "GET", pattern: "/api/v1/files/usage", who: "all"},
		matrixRow{method: "POST", pattern: "/api/v1/files/from-mail", who: "all",
			body: wire.FilesFromMail{MessageID: 999999, AttachmentID: 1}}, // 404 for everyone let in
		matrixRow{method: "POST", pattern: "/api/v1/files/files/{id}/to-mail", who: "all", path: file + "/to-mail"},
	)
	// A worksheet of the class teacher in 3a's folder.
	matrixSetups = append(matrixSetups, func(s *school, vars matrixVars) {
		tina := s.as(s.Teacher)
		class := s.filesRoot(tina, wire.FilesGroup, "3a")
		f, err := tina.FilesUpload(ctx, class, "Arbeitsblatt.txt", strings.NewReader("Aufgabe 1"), -1)
		if err != nil {
			s.t.Fatalf("matrix setup: files upload: %v", err)
		}
		vars["files_class"] = strconv.FormatInt(class, 10)
		vars["files_file"] = strconv.FormatInt(f.ID, 10)
	})
}
