package files

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
)

func TestCleanName(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		invalid  bool
	}{
		{"Aufsatz.docx", "Aufsatz.docx", false},
		{`C:\Users\anna\Bild.png`, "Bild.png", false},
		{"../../etc/passwd", "passwd", false},
		{"a/b/c.txt", "c.txt", false},
		{"Was? Wie: so*.txt", "Was_ Wie_ so_.txt", false},
		{"tab\there.txt", "tab_here.txt", false},
		{"  punkt am ende. . ", "punkt am ende", false},
		{"...versteckt", "versteckt", false},
		{"rechnung\u202etxt.exe", "rechnungtxt.exe", false}, // no right-to-left override disguising the extension
		{"CON", "_CON", false},
		{"lpt1.txt", "_lpt1.txt", false},
		{"Übung", "Übung", false},
		{"U\u0308bung", "Übung", false}, // NFC
		{strings.Repeat("a", 150) + ".pdf", strings.Repeat("a", MaxName-4) + ".pdf", false},
		{"", "", true},
		{" . ", "", true},
		{"/", "", true},
		{"..", "", true},
	} {
		got, err := CleanName(tt.in)
		if (err != nil) != tt.invalid || got != tt.want {
			t.Errorf("CleanName(%q): got %q, %v, want %q (invalid %v)", tt.in, got, err, tt.want, tt.invalid)
		}
	}
}

func TestNumbered(t *testing.T) {
	for _, tt := range []struct {
		name string
		n    int
		want string
	}{
		{"Bild.png", 2, "Bild (2).png"},
		{"Notizen", 3, "Notizen (3)"},
		{"archiv.tar.gz", 2, "archiv.tar (2).gz"},
		{strings.Repeat("b", MaxName-4) + ".pdf", 2, strings.Repeat("b", MaxName-8) + " (2).pdf"},
	} {
		if got := numbered(tt.name, tt.n); got != tt.want || len([]rune(got)) > MaxName {
			t.Errorf("numbered(%q, %d): got %q, want %q", tt.name, tt.n, got, tt.want)
		}
	}
}

func zipOf(t *testing.T, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, n := range names {
		f, err := w.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte("inhalt"))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestExecutableDetection(t *testing.T) {
	for _, tt := range []struct {
		name    string
		file    string
		content []byte
		want    bool
	}{
		{"text", "notiz.txt", []byte("Hallo Welt"), false},
		{"png", "bild.png", []byte("\x89PNG\r\n\x1a\n...."), false},
		{"pdf", "blatt.pdf", []byte("%PDF-1.7"), false},
		{"exe by name", "spiel.exe", []byte("harmlos"), true},
		{"upper case extension", "SPIEL.EXE", []byte("harmlos"), true},
		{"double extension", "foto.jpg.exe", []byte("harmlos"), true},
		{"script by name", "start.bat", []byte("echo"), true},
		{"powershell", "x.ps1", []byte("Write-Host"), true},
		{"jar by name", "minecraft.jar", []byte("x"), true},
		{"apk by name", "app.apk", []byte("x"), true},
		{"windows program renamed", "bild.png", []byte("MZ\x90\x00\x03"), true},
		{"linux program renamed", "text.txt", []byte("\x7fELF\x02\x01"), true},
		{"shell script renamed", "aufgabe.txt", []byte("#!/bin/sh\nrm -rf ~"), true},
		{"script behind a byte order mark", "aufgabe.txt", []byte("\xef\xbb\xbf#!/usr/bin/env python3"), true},
		{"shortcut renamed", "link.txt", []byte{0x4c, 0, 0, 0, 0x01, 0x14, 0x02, 0, 0}, true},
		{"launcher renamed", "x.txt", []byte("[Desktop Entry]\nExec=foo"), true},
		{"mach-o renamed", "x.dat", []byte{0xcf, 0xfa, 0xed, 0xfe, 7}, true},
		{"docx is a zip of documents", "aufsatz.docx", zipOf(t, "[Content_Types].xml", "word/document.xml"), false},
		{"zip of pictures", "fotos.zip", zipOf(t, "a.jpg", "b.jpg"), false},
		{"zip with a program inside", "fotos.zip", zipOf(t, "a.jpg", "tools/setup.exe"), true},
		{"jar renamed", "spiel.zip", zipOf(t, "META-INF/MANIFEST.MF", "a/B.class"), true},
		{"apk renamed", "spiel.zip", zipOf(t, "AndroidManifest.xml", "classes.dex"), true},
		{"broken zip", "kaputt.zip", []byte("PK\x03\x04kaputt"), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := ExecutableName(tt.file) || executableContent(tt.content)
			if !got && bytes.HasPrefix(tt.content, zipMagic) {
				got = zipHasProgram(bytes.NewReader(tt.content), int64(len(tt.content)))
			}
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
