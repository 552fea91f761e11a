package cli

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kaspel/server/blobs"
	"kaspel/server/config"
	"kaspel/server/pki"
)

// tarGz writes a gzipped tar archive of name -> content.
func tarGz(t *testing.T, files [][2]string) string {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range files {
		if err := tw.WriteHeader(&tar.Header{Name: f[0], Mode: 0o600, Size: int64(len(f[1])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(f[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "archive.tar.gz")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// readTarGz returns name -> content of a backup.
func readTarGz(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	out := map[string]string{}
	for {
		h, err := tr.Next()
		if err != nil {
			break
		}
		var b bytes.Buffer
		if _, err := b.ReadFrom(tr); err != nil {
			t.Fatal(err)
		}
		out[h.Name] = b.String()
	}
	return out
}

func caFingerprint(t *testing.T, data string) string {
	t.Helper()
	fp, err := pki.Fingerprint(config.PKIDir(data))
	if err != nil {
		t.Fatal(err)
	}
	return fp
}

func TestBackupRestore(t *testing.T) {
	data := newSchool(t)
	fred, fredPW := addUser(t, data, "Fred", "Mustermann", "pupil", "3a")
	mustRun(t, "service-account", "add", "sssd", "--data", data)
	mustRun(t, "user", "lock", fred, "--reason", "Test", "--data", data)
	fp := caFingerprint(t, data)

	backup := filepath.Join(t.TempDir(), "kaspel-backup.tar.gz")
	r := mustRun(t, "backup", backup, "--data", data)
	if !strings.Contains(r.stdout, backup) {
		t.Errorf("backup output: got %q, want the file named", r.stdout)
	}
	st, err := os.Stat(backup)
	if err != nil {
		t.Fatalf("backup file: %v", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		t.Errorf("mode of the backup: got %v, want no access for group and others (password hashes, CA key)", st.Mode().Perm())
	}
	files := readTarGz(t, backup)
	for _, name := range []string{"kaspel.db", "config.json", "pki/ca.crt", "pki/ca.key", "pki/server.crt", "pki/server.key"} {
		if _, ok := files[name]; !ok {
			t.Errorf("backup: got no %s in it", name)
		}
	}
	if len(files) != 6 {
		t.Errorf("backup files: got %v, want 6", len(files))
	}
	if entries, _ := os.ReadDir(filepath.Dir(backup)); len(entries) != 1 {
		t.Errorf("next to the backup: got %d entries, want only the backup (no temporary files)", len(entries))
	}
	backupState := state(t, data)

	t.Run("no overwrite", func(t *testing.T) {
		r := runCLI(t, "backup", backup, "--data", data)
		wantCode(t, r, 1)
		if got := readTarGz(t, backup); got["kaspel.db"] != files["kaspel.db"] {
			t.Errorf("a second backup to the same file changed it")
		}
	})

	// Changes after the backup.
	later, _ := addUser(t, data, "Lena", "Später", "pupil", "1a")
	mustRun(t, "user", "unlock", fred, "--data", data)
	changedState := state(t, data)
	if changedState == backupState {
		t.Fatal("the changes after the backup changed nothing")
	}

	t.Run("into a new folder", func(t *testing.T) {
		fresh := filepath.Join(t.TempDir(), "restored")
		r := mustRun(t, "restore", backup, "--data", fresh)
		if !strings.Contains(r.stdout, testSchoolName) {
			t.Errorf("restore output: got %q, want the school named", r.stdout)
		}
		sameState(t, "restored into a new folder", state(t, fresh), backupState)
		if got := caFingerprint(t, fresh); got != fp {
			t.Errorf("CA fingerprint of the restored school: got %v, want %v", got, fp)
		}
		if got := mustRun(t, "cert", "show", "--data", fresh).stdout; !strings.Contains(got, fp) {
			t.Errorf("cert show: got %q, want %s", got, fp)
		}
		wantCode(t, runCLI(t, "user", "show", later, "--data", fresh), 1)
		if got := show(t, fresh, fred)["status"]; !strings.Contains(got, "locked") {
			t.Errorf("status of %s: got %q, want locked as at the backup", fred, got)
		}
		// the restored school works: passwords and new accounts
		mustRun(t, "user", "unlock", fred, "--data", fresh)
		if _, err := authenticate(t, fresh, fred, fredPW); err != nil {
			t.Errorf("login in the restored school: got %v, want success", err)
		}
		addUser(t, fresh, "Neu", "Nach", "teacher", "")
		for _, e := range mustReadDir(t, fresh) {
			if strings.HasPrefix(e, ".restore-") {
				t.Errorf("restored folder holds the temporary %s", e)
			}
		}
	})

	t.Run("over a school without --force", func(t *testing.T) {
		r := runCLI(t, "restore", backup, "--data", data)
		wantCode(t, r, 1)
		if !strings.Contains(r.stderr, "--force") {
			t.Errorf("stderr: got %q, want the hint at --force", r.stderr)
		}
		sameState(t, "restore without --force", state(t, data), changedState)
		if safety, _ := filepath.Glob(filepath.Join(data, "before-restore-*")); len(safety) != 0 {
			t.Errorf("safety backups after a refused restore: got %v, want none", safety)
		}
	})

	t.Run("bad archives", func(t *testing.T) {
		raw, err := os.ReadFile(backup)
		if err != nil {
			t.Fatal(err)
		}
		truncated := filepath.Join(t.TempDir(), "truncated.tar.gz")
		if err := os.WriteFile(truncated, raw[:len(raw)/2], 0o600); err != nil {
			t.Fatal(err)
		}
		nearlyComplete := filepath.Join(t.TempDir(), "nearly.tar.gz")
		if err := os.WriteFile(nearlyComplete, raw[:len(raw)-4], 0o600); err != nil {
			t.Fatal(err)
		}
		flipped := append([]byte(nil), raw...)
		flipped[len(flipped)-8] ^= 0xff // the gzip checksum
		badChecksum := filepath.Join(t.TempDir(), "checksum.tar.gz")
		if err := os.WriteFile(badChecksum, flipped, 0o600); err != nil {
			t.Fatal(err)
		}
		text := filepath.Join(t.TempDir(), "notes.txt")
		if err := os.WriteFile(text, []byte("not a backup\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		withConfig := func(db, cfg string) [][2]string {
			return [][2]string{{"kaspel.db", db}, {"config.json", cfg},
				{"pki/ca.crt", files["pki/ca.crt"]}, {"pki/ca.key", files["pki/ca.key"]},
				{"pki/server.crt", files["pki/server.crt"]}, {"pki/server.key", files["pki/server.key"]}}
		}
		complete := func(db string) [][2]string { return withConfig(db, files["config.json"]) }
		otherPKI := t.TempDir()
		if err := pki.Create(otherPKI, "Andere Schule", pki.Names()); err != nil {
			t.Fatal(err)
		}
		otherKey, err := os.ReadFile(filepath.Join(otherPKI, pki.CAKeyFile))
		if err != nil {
			t.Fatal(err)
		}
		withPKI := func(name, content string) [][2]string {
			out := complete(files["kaspel.db"])
			for i := range out {
				if out[i][0] == name {
					out[i][1] = content
				}
			}
			return out
		}
		for _, tc := range []struct {
			name, file string
		}{
			{"truncated", truncated},
			{"without the gzip trailer", nearlyComplete},
			{"wrong checksum", badChecksum},
			{"text file", text},
			{"missing file", filepath.Join(t.TempDir(), "none.tar.gz")},
			{"foreign archive", tarGz(t, [][2]string{{"etc/passwd", "root:x:0:0::/root:/bin/sh\n"}})},
			{"path outside", tarGz(t, append(complete(files["kaspel.db"]), [2]string{"../../evil", "x"}))},
			{"CA missing", tarGz(t, complete(files["kaspel.db"])[:3])},
			{"database not SQLite", tarGz(t, complete("SQLite format 3? no."))},
			{"database damaged", tarGz(t, complete(files["kaspel.db"][:len(files["kaspel.db"])/2]))},
			{"empty archive", tarGz(t, nil)},
			{"configuration broken", tarGz(t, withConfig(files["kaspel.db"], `{"directory": {"purge_grace_days": "never"}}`))},
			{"configuration unknown key", tarGz(t, withConfig(files["kaspel.db"], `{"colour": "red"}`))},
			{"configuration invalid", tarGz(t, withConfig(files["kaspel.db"], `{"directory": {"password_hash": {"time": 0}}}`))},
			{"CA not a certificate", tarGz(t, withPKI("pki/ca.crt", "junk"))},
			{"CA key of another school", tarGz(t, withPKI("pki/ca.key", string(otherKey)))},
			{"server key damaged", tarGz(t, withPKI("pki/server.key", files["pki/server.key"][:40]))},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := runCLI(t, "restore", "--force", tc.file, "--data", data)
				wantCode(t, r, 1)
				sameState(t, "restore of a bad archive", state(t, data), changedState)
				if safety, _ := filepath.Glob(filepath.Join(data, "before-restore-*")); len(safety) != 0 {
					t.Errorf("safety backups after a failed restore: got %v, want none", safety)
				}
				for _, e := range mustReadDir(t, data) {
					if strings.HasPrefix(e, ".restore-") {
						t.Errorf("data folder holds the temporary %s", e)
					}
				}

				// Into a new folder: nothing is left behind.
				fresh := filepath.Join(t.TempDir(), "restored")
				r = runCLI(t, "restore", tc.file, "--data", fresh)
				wantCode(t, r, 1)
				if exists(t, fresh) {
					t.Errorf("new folder after a failed restore: got %v, want it not made", mustReadDir(t, fresh))
				}
			})
		}
	})

	t.Run("over a school with --force", func(t *testing.T) {
		r := mustRun(t, "restore", "--force", backup, "--data", data)
		safety, _ := filepath.Glob(filepath.Join(data, "before-restore-*.tar.gz"))
		if len(safety) != 1 {
			t.Fatalf("safety backups: got %v, want one", safety)
		}
		if !strings.Contains(r.stdout, safety[0]) {
			t.Errorf("restore output: got %q, want the safety backup %s named", r.stdout, safety[0])
		}
		sameState(t, "restore --force", state(t, data), backupState)
		wantCode(t, runCLI(t, "user", "show", later, "--data", data), 1)
		if got := caFingerprint(t, data); got != fp {
			t.Errorf("CA fingerprint: got %v, want %v", got, fp)
		}

		// The safety backup holds the replaced school.
		back := filepath.Join(t.TempDir(), "back")
		mustRun(t, "restore", safety[0], "--data", back)
		sameState(t, "the safety backup", state(t, back), changedState)

		// A second restore right after the first (within the same
		// second, as a script does) keeps both safety backups.
		mustRun(t, "restore", "--force", backup, "--data", data)
		if safety, _ := filepath.Glob(filepath.Join(data, "before-restore-*.tar.gz")); len(safety) != 2 {
			t.Errorf("safety backups after two restores: got %v, want two", safety)
		}
		sameState(t, "a second restore --force", state(t, data), backupState)
	})

	t.Run("usage", func(t *testing.T) {
		for _, args := range [][]string{
			{"backup", "--data", data},
			{"backup", "a", "b", "--data", data},
			{"restore", "--data", data},
			{"restore", "a", "b", "--data", data},
		} {
			wantCode(t, runCLI(t, args...), 2)
		}
	})
}

func mustReadDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestBackupStoredFiles: the stored files (attachments, in DATA/blobs) go
// into the backup and come back with a restore; a damaged one is noticed.
func TestBackupStoredFiles(t *testing.T) {
	data := newSchool(t)
	bs, err := blobs.Open(config.BlobsDir(data))
	if err != nil {
		t.Fatal(err)
	}
	content := "Hausaufgabe: Seite 12\n"
	b, err := bs.Put(strings.NewReader(content), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "backup.tar.gz")
	mustRun(t, "backup", backup, "--data", data)
	files := readTarGz(t, backup)
	name := "blobs/" + b.Hash[:2] + "/" + b.Hash[2:]
	if files[name] != content {
		t.Fatalf("backup: %s = %q, want the stored file", name, files[name])
	}

	restored := filepath.Join(t.TempDir(), "restored")
	mustRun(t, "restore", backup, "--data", restored)
	rs, err := blobs.Open(config.BlobsDir(restored))
	if err != nil {
		t.Fatal(err)
	}
	f, err := rs.Open(b.Hash)
	if err != nil {
		t.Fatalf("stored file after restore: %v", err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if string(got) != content {
		t.Errorf("stored file after restore: got %q, want %q", got, content)
	}

	// Over an existing school: a file stored after the backup is gone,
	// the backup's file is back.
	later, err := bs.Put(strings.NewReader("später\n"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	mustRun(t, "restore", "--force", backup, "--data", data)
	if _, err := bs.Open(later.Hash); err == nil {
		t.Error("a file stored after the backup survived the restore")
	}
	if f, err := bs.Open(b.Hash); err != nil {
		t.Errorf("the backup's file after restore --force: %v", err)
	} else {
		f.Close()
	}

	var entries [][2]string
	for n, c := range files {
		entries = append(entries, [2]string{n, c})
	}
	for i := range entries {
		if entries[i][0] == name {
			entries[i][1] = "manipuliert\n"
		}
	}
	before := state(t, data)
	r := runCLI(t, "restore", "--force", tarGz(t, entries), "--data", data)
	wantCode(t, r, 1)
	if !strings.Contains(r.stderr, "damaged") {
		t.Errorf("stderr: got %q, want the damage named", r.stderr)
	}
	sameState(t, "a backup with a damaged stored file", state(t, data), before)
}
