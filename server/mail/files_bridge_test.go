package mail

import (
	"strings"
	"testing"

	"kaspel/server/blobs"
	"kaspel/shared/wire"
)

// The bridge hands an attachment's blob only to a person who has the
// message, and takes a blob as an upload within the same bounds as an
// upload from the PC.
func TestFilesBridge(t *testing.T) {
	e := newEnv(t)
	up, err := e.svc.Upload(ctx, e.ben, "Foto.jpg", strings.NewReader("JPEG"))
	if err != nil {
		t.Fatal(err)
	}
	m := e.send(e.ben, Draft{To: []string{e.anna.Login}, Subject: "Foto", Attachments: []int64{up.ID}})
	att := m.Attachments[0]

	b, name, err := e.svc.AttachmentForReader(ctx, e.anna.ID, m.ID, att.ID)
	if err != nil || name != "Foto.jpg" || b != (blobs.Blob{Hash: up.Hash, Size: 4}) {
		t.Errorf("recipient: got %+v, %q, %v", b, name, err)
	}
	if _, _, err := e.svc.AttachmentForReader(ctx, e.ben.ID, m.ID, att.ID); err != nil {
		t.Errorf("sender: %v", err)
	}
	if _, _, err := e.svc.AttachmentForReader(ctx, e.clara.ID, m.ID, att.ID); kindOf(err) != NotFound {
		t.Errorf("someone without the message: got %v, want not found", err)
	}

	u, err := e.svc.AddUploadFromBlob(ctx, e.anna, `..\Foto?.jpg`, b)
	if err != nil || u.Name != "Foto_.jpg" || u.Hash != b.Hash || u.Size != b.Size {
		t.Fatalf("upload from the blob: got %+v, %v", u, err)
	}
	if list, _ := e.svc.Uploads(ctx, e.anna.ID); len(list) != 1 || list[0].ID != u.ID {
		t.Errorf("anna's waiting uploads: %+v", list)
	}
	sent := e.send(e.anna, Draft{To: []string{e.ben.Login}, Subject: "Zurück", Attachments: []int64{u.ID}})
	if len(sent.Attachments) != 1 || sent.Attachments[0].Hash != b.Hash {
		t.Errorf("sent with the blob: %+v", sent.Attachments)
	}

	if _, err := e.svc.AddUploadFromBlob(ctx, e.anna, "x", blobs.Blob{Hash: strings.Repeat("a", 64), Size: 1}); err == nil {
		t.Errorf("a blob that is not stored: accepted")
	}
	if _, err := e.svc.AddUploadFromBlob(ctx, e.anna, "x", blobs.Blob{Hash: b.Hash, Size: wire.MaxUpload + 1}); kindOf(err) != TooLarge {
		t.Errorf("over 20 MB: got %v", err)
	}
	for range MaxAttachments {
		if _, err := e.svc.AddUploadFromBlob(ctx, e.anna, "x.jpg", b); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.AddUploadFromBlob(ctx, e.anna, "x.jpg", b); kindOf(err) != Invalid {
		t.Errorf("more uploads waiting than a mail may carry: got %v", err)
	}
}
