package cli

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"kaspel/server/config"
	"kaspel/server/directory"
	"kaspel/server/pki"
	"kaspel/server/store"
)

// A backup is a gzipped tar archive of a consistent database snapshot
// (SQLite's online backup API), the configuration and the school's CA and
// certificate: without the CA, a restored server would not be trusted by
// any enrolled computer.
var backupFiles = []string{
	"kaspel.db", "config.json",
	"pki/" + pki.CACertFile, "pki/" + pki.CAKeyFile, "pki/" + pki.ServerCertFile, "pki/" + pki.ServerKeyFile,
}

func runBackup(e *env, args []string) error {
	fs, data := e.flags("backup")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := exactly(pos, 1, "one FILE"); err != nil {
		return err
	}
	s, err := open(*data)
	if err != nil {
		return err
	}
	defer s.close()
	if err := writeBackup(s, pos[0]); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Backup written to %s. It holds password hashes and the CA key: keep it safe.\n", pos[0])
	return nil
}

func writeBackup(s *school, file string) error {
	if _, err := os.Stat(file); err == nil {
		return fmt.Errorf("%s exists already; choose a new file name", file)
	}
	tmpDir, err := os.MkdirTemp(filepath.Dir(file), ".kaspel-backup-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmpDir)
	snapshot := filepath.Join(tmpDir, "kaspel.db")
	if err := s.db.Backup(context.Background(), snapshot); err != nil {
		return err
	}
	tmp := filepath.Join(tmpDir, "archive.tar.gz")
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	gz := gzip.NewWriter(out)
	tw := tar.NewWriter(gz)
	for _, name := range backupFiles {
		src := filepath.Join(s.data, filepath.FromSlash(name))
		if name == "kaspel.db" {
			src = snapshot
		}
		if err := addFile(tw, name, src); err != nil {
			out.Close()
			return err
		}
	}
	// The stored files (attachments) after the snapshot: blobs never
	// change and are written before the rows that name them, so every
	// blob the snapshot refers to is there.
	if err := addBlobs(tw, config.BlobsDir(s.data)); err != nil {
		out.Close()
		return err
	}
	if err := errors.Join(tw.Close(), gz.Close(), out.Sync(), out.Close()); err != nil {
		return fmt.Errorf("write backup: %w", err)
	}
	return os.Rename(tmp, file)
}

func addFile(tw *tar.Writer, name, src string) error {
	f, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: st.Size(), ModTime: st.ModTime(), Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// blobName is a stored file's name in a backup: blobs/ab/<62 hex>.
var blobName = regexp.MustCompile(`^blobs/[0-9a-f]{2}/[0-9a-f]{62}$`)

func addBlobs(tw *tar.Writer, dir string) error {
	err := filepath.WalkDir(dir, func(path string, d iofs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, iofs.ErrNotExist) {
				return nil // no blobs yet
			}
			return err
		}
		if d.IsDir() && d.Name() == "tmp" {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(filepath.Dir(dir), path)
		if err != nil {
			return err
		}
		name := filepath.ToSlash(rel)
		if !blobName.MatchString(name) {
			return nil
		}
		return addFile(tw, name, path)
	})
	if err != nil {
		return fmt.Errorf("backup: stored files: %w", err)
	}
	return nil
}

func runRestore(e *env, args []string) (retErr error) {
	fs, data := e.flags("restore")
	force := fs.Bool("force", false, "replace the school in --data (a safety backup is made first)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := exactly(pos, 1, "one FILE"); err != nil {
		return err
	}
	exists := false
	if _, err := os.Stat(config.DBPath(*data)); err == nil {
		exists = true
		if !*force {
			return fmt.Errorf("%s holds a school; restoring replaces it: add --force (a safety backup is made first)", *data)
		}
	}
	if _, err := os.Stat(*data); errors.Is(err, os.ErrNotExist) {
		// A failed restore leaves no data folder behind that it made.
		defer func() {
			if retErr != nil {
				os.RemoveAll(*data)
			}
		}()
	}
	if err := os.MkdirAll(*data, 0o700); err != nil {
		return err
	}
	tmpDir, err := os.MkdirTemp(*data, ".restore-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmpDir)
	if err := extract(pos[0], tmpDir); err != nil {
		return err
	}
	ctx := context.Background()
	if err := store.Check(ctx, filepath.Join(tmpDir, "kaspel.db")); err != nil {
		return fmt.Errorf("the backup's database is not usable: %w", err)
	}
	if err := checkRestored(tmpDir); err != nil {
		return fmt.Errorf("%s is not usable: %w; nothing was changed", pos[0], err)
	}

	if exists {
		s, err := open(*data)
		if err != nil {
			return err
		}
		stamp := "before-restore-" + time.Now().Format("20060102-150405")
		safety := filepath.Join(*data, stamp+".tar.gz")
		for n := 2; ; n++ {
			// a second restore within the same second keeps both
			if _, err := os.Stat(safety); err != nil {
				break
			}
			safety = filepath.Join(*data, fmt.Sprintf("%s-%d.tar.gz", stamp, n))
		}
		if err := writeBackup(s, safety); err != nil {
			s.close()
			return fmt.Errorf("safety backup: %w", err)
		}
		fmt.Fprintf(e.stdout, "Safety backup of the replaced school: %s\n", safety)
		// Into the open database, so that a running server sees the
		// restored data at its next request.
		err = s.db.Restore(ctx, filepath.Join(tmpDir, "kaspel.db"), Migrations...)
		s.close()
		if err != nil {
			return err
		}
	} else {
		if err := os.Rename(filepath.Join(tmpDir, "kaspel.db"), config.DBPath(*data)); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(config.PKIDir(*data), 0o700); err != nil {
		return err
	}
	for _, name := range backupFiles[1:] {
		if err := os.Rename(filepath.Join(tmpDir, filepath.FromSlash(name)), filepath.Join(*data, filepath.FromSlash(name))); err != nil {
			return err
		}
	}
	// The stored files: the backup's set replaces the folder.
	old := filepath.Join(tmpDir, "blobs-replaced")
	if err := os.Rename(config.BlobsDir(*data), old); err != nil && !errors.Is(err, iofs.ErrNotExist) {
		return err
	}
	if err := os.Rename(filepath.Join(tmpDir, "blobs"), config.BlobsDir(*data)); err != nil {
		return err
	}
	s, err := open(*data) // applies migrations of a newer program
	if err != nil {
		return err
	}
	defer s.close()
	// A running server keeps the school and the groups in memory; make it
	// read them from the restored database.
	if err := s.dir.InvalidateCaches(ctx); err != nil {
		return err
	}
	sc, err := s.dir.School(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Restored %s (%s) into %s. Restart a running server to load the certificate.\n", sc.Name, sc.Domain, *data)
	return nil
}

// checkRestored checks the configuration and the certificates of an
// unpacked backup before they replace anything: a school restored from a
// backup must start.
func checkRestored(dir string) error {
	cfg, err := config.Load(dir)
	if err != nil {
		return err
	}
	if _, err := directory.NewHasher(cfg.Directory.Hash); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if cfg.Directory.PurgeGraceDays < 0 {
		return errors.New("config: purge_grace_days must not be negative")
	}
	pkiDir := config.PKIDir(dir)
	if _, err := pki.ServerTLS(pkiDir); err != nil {
		return err
	}
	if _, err := pki.Describe(pkiDir); err != nil {
		return err
	}
	if _, err := tls.LoadX509KeyPair(filepath.Join(pkiDir, pki.CACertFile), filepath.Join(pkiDir, pki.CAKeyFile)); err != nil {
		return fmt.Errorf("pki: CA certificate and key: %w", err)
	}
	return nil
}

// extract unpacks exactly the known backup files; anything else in the
// archive (or a file missing) makes it invalid.
func extract(file, dir string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s is not a Kaspel backup: %w", file, err)
	}
	tr := tar.NewReader(gz)
	known := map[string]bool{}
	for _, n := range backupFiles {
		known[n] = true
	}
	seen := map[string]bool{}
	if err := os.MkdirAll(filepath.Join(dir, "pki"), 0o700); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, "blobs"), 0o700); err != nil {
		return err
	}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s is damaged: %w", file, err)
		}
		blob := blobName.MatchString(h.Name)
		if (!known[h.Name] && !blob) || h.Typeflag != tar.TypeReg || seen[h.Name] {
			return fmt.Errorf("%s is not a Kaspel backup (unexpected %q)", file, h.Name)
		}
		seen[h.Name] = true
		dst := filepath.Join(dir, filepath.FromSlash(h.Name))
		if blob {
			if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
				return err
			}
		}
		out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		sum := sha256.New()
		_, err = io.Copy(io.MultiWriter(out, sum), tr)
		if err := errors.Join(err, out.Close()); err != nil {
			return fmt.Errorf("%s is damaged: %w", file, err)
		}
		// A stored file is named by its SHA-256: a damaged one shows.
		if blob && hex.EncodeToString(sum.Sum(nil)) != strings.ReplaceAll(strings.TrimPrefix(h.Name, "blobs/"), "/", "") {
			return fmt.Errorf("%s is damaged (%s)", file, h.Name)
		}
	}
	// Read the gzip stream to its end: only there is its checksum checked,
	// and a tar reader stops at the end-of-archive marker before it.
	if _, err := io.Copy(io.Discard, gz); err != nil {
		return fmt.Errorf("%s is damaged: %w", file, err)
	}
	for _, n := range backupFiles {
		if !seen[n] {
			return fmt.Errorf("%s is not a complete Kaspel backup (%s missing)", file, n)
		}
	}
	return nil
}
