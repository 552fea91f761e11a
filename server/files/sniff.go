package files

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"kaspel/server/blobs"
)

// The usage rules forbid pupils to bring foreign software onto the
// school's computers. The files module is one way in, so a pupil may not
// store a program or script there: not by its name (the extension Windows
// and Linux run it by) and not by its content (a program renamed to
// "bild.png" starts with the same bytes). ZIP archives are looked into,
// because a .jar or .apk is a ZIP, and a ZIP full of .exe files is a way
// round the name check.

// execExtensions are the extensions of programs, scripts, installers,
// shortcuts and disk images that PCs run or mount on a double click.
var execExtensions = map[string]bool{
	// Windows programs, installers and libraries
	"exe": true, "com": true, "scr": true, "pif": true, "msi": true, "msp": true, "msix": true, "msixbundle": true,
	"appx": true, "appxbundle": true, "appinstaller": true, "dll": true, "cpl": true, "sys": true, "drv": true, "ocx": true, "msc": true,
	"gadget": true, "application": true, "xbap": true,
	// Windows scripts and shortcuts
	"bat": true, "cmd": true, "ps1": true, "psm1": true, "psd1": true, "vbs": true, "vbe": true, "js": true, "jse": true,
	"wsf": true, "wsh": true, "hta": true, "reg": true, "lnk": true, "url": true, "scf": true, "inf": true, "chm": true,
	// Java and Android
	"jar": true, "jnlp": true, "class": true, "apk": true, "xapk": true, "aab": true, "dex": true,
	// Linux and macOS
	"sh": true, "bash": true, "zsh": true, "csh": true, "ksh": true, "run": true, "bin": true, "elf": true, "out": true,
	"appimage": true, "deb": true, "rpm": true, "snap": true, "flatpak": true, "flatpakref": true, "desktop": true,
	"app": true, "command": true, "pkg": true, "dmg": true,
	// disk images that carry software
	"iso": true, "img": true, "vhd": true, "vhdx": true,
}

// ExecutableName tells whether a file name has the extension of a program
// or script.
func ExecutableName(name string) bool {
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(strings.TrimRight(name, " .")), "."))
	return execExtensions[ext]
}

// magics are the first bytes of programs and scripts.
var magics = [][]byte{
	[]byte("MZ"),                               // Windows (PE) and DOS programs and libraries
	[]byte("\x7fELF"),                          // Linux programs and libraries, AppImages
	[]byte("#!"),                               // scripts with an interpreter line
	{0xfe, 0xed, 0xfa, 0xce},                   // Mach-O, 32 bit
	{0xfe, 0xed, 0xfa, 0xcf},                   // Mach-O, 64 bit
	{0xce, 0xfa, 0xed, 0xfe},                   // Mach-O, 32 bit, little endian
	{0xcf, 0xfa, 0xed, 0xfe},                   // Mach-O, 64 bit, little endian
	{0xca, 0xfe, 0xba, 0xbe},                   // Mach-O universal, Java class
	{0x4c, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02}, // Windows shortcut (.lnk)
	[]byte("dex\n"),                            // Android bytecode
	[]byte("[Desktop Entry]"),                  // Linux launcher
}

// sniffLen is how many first bytes the content check looks at.
const sniffLen = 512

// executableContent tells whether the first bytes of a file are those of
// a program or script. A UTF-8 byte order mark before "#!" does not hide it.
func executableContent(head []byte) bool {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	for _, m := range magics {
		if bytes.HasPrefix(head, m) {
			return true
		}
	}
	return false
}

// zipMagic starts a ZIP archive (and .jar, .apk, .docx, .odt, ...).
var zipMagic = []byte("PK\x03\x04")

// maxZipEntries bounds the entries looked at in one archive.
const maxZipEntries = 10_000

// zipHasProgram tells whether a ZIP archive is a Java or Android program
// or holds a program or script by name. An archive that cannot be read
// as a ZIP holds nothing that a PC would run from it.
func zipHasProgram(r io.ReaderAt, size int64) bool {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return false
	}
	for i, f := range z.File {
		if i >= maxZipEntries {
			return true // an archive this large is no homework
		}
		name := strings.TrimPrefix(f.Name, "/")
		switch name {
		case "META-INF/MANIFEST.MF", "classes.dex", "AndroidManifest.xml":
			return true
		}
		if !strings.HasSuffix(name, "/") && ExecutableName(name) {
			return true
		}
	}
	return false
}

// headReader keeps the first sniffLen bytes of what passes through it.
type headReader struct {
	r    io.Reader
	head []byte
}

func (h *headReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if room := sniffLen - len(h.head); room > 0 && n > 0 {
		h.head = append(h.head, p[:min(n, room)]...)
	}
	return n, err
}

// IsProgram tells whether stored content is a program or script, by its
// first bytes and, for a ZIP archive, by what is inside: for the other
// ways a pupil's file reaches the school (homework hand-ins), which apply
// the rule of this module.
func IsProgram(store *blobs.Store, b blobs.Blob) (bool, error) {
	f, err := store.Open(b.Hash)
	if err != nil {
		return false, fmt.Errorf("files: look into %s: %w", b.Hash, err)
	}
	defer f.Close()
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return false, fmt.Errorf("files: look into %s: %w", b.Hash, err)
	}
	head = head[:n]
	if executableContent(head) {
		return true, nil
	}
	return bytes.HasPrefix(head, zipMagic) && zipHasProgram(f, b.Size), nil
}
