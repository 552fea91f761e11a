package ui

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// saveFile writes what write produces into the files folder under name
// (or "name (2).ext" when taken) and returns the path. In the PC room the
// folder belongs to the session and is deleted at the logout, so nothing
// of a pupil stays on the computer.
func (u *UI) saveFile(name string, write func(w io.Writer) error) (string, error) {
	if err := os.MkdirAll(u.opts.FilesDir, 0o700); err != nil {
		return "", err
	}
	name = safeFileName(name)
	ext := filepath.Ext(name)
	base := strings.TrimSuffix(name, ext)
	for n := 1; n < 1000; n++ {
		candidate := name
		if n > 1 {
			candidate = fmt.Sprintf("%s (%d)%s", base, n, ext)
		}
		path := filepath.Join(u.opts.FilesDir, candidate)
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if os.IsExist(err) {
			continue
		}
		if err != nil {
			return "", err
		}
		werr := write(f)
		cerr := f.Close()
		if werr != nil || cerr != nil {
			os.Remove(path)
			if werr != nil {
				return "", werr
			}
			return "", cerr
		}
		return path, nil
	}
	return "", fmt.Errorf("ui: no free file name for %s", name)
}

// safeFileName keeps a file name a file system accepts everywhere.
func safeFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 32 || strings.ContainsRune(`<>:"/\|?*`, r) {
			return '_'
		}
		return r
	}, name)
	name = strings.Trim(name, ". ")
	if name == "" {
		name = "datei"
	}
	if len(name) > 120 {
		ext := filepath.Ext(name)
		if len(ext) > 10 {
			ext = ""
		}
		name = name[:120-len(ext)] + ext
	}
	return name
}
