package install

import (
	"bytes"
	"debug/elf"
	"debug/pe"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// distDir is the built dist/ folder: KASPEL_DIST, or dist/ at the top of
// the module. The tests skip when it is not built (make dist builds it).
func distDir(t *testing.T) string {
	dir := os.Getenv("KASPEL_DIST")
	if dir == "" {
		dir = filepath.Join("..", "dist")
	}
	if _, err := os.Stat(filepath.Join(dir, "windows-amd64")); err != nil {
		t.Skipf("%s is not built (make dist)", dir)
	}
	return dir
}

// TestDistWindowsPE checks the Windows files by their headers: "MZ", the
// PE signature where the DOS header points, and an amd64 machine.
func TestDistWindowsPE(t *testing.T) {
	dir := filepath.Join(distDir(t), "windows-amd64")
	want := []string{"kaspel-agent.exe", "kaspel-install.exe"}
	if _, err := os.Stat(filepath.Join(dir, "kaspel-client.exe")); err == nil || os.Getenv("KASPEL_DIST_NO_WINDOWS_CLIENT") != "1" {
		want = append(want, "kaspel-client.exe")
	}
	for _, name := range want {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if len(data) < 0x40 || !bytes.Equal(data[:2], []byte("MZ")) {
				t.Fatalf("no MZ header")
			}
			off := binary.LittleEndian.Uint32(data[0x3c:])
			if int(off)+6 > len(data) || !bytes.Equal(data[off:off+4], []byte("PE\x00\x00")) {
				t.Fatalf("no PE signature at 0x%x", off)
			}
			if m := binary.LittleEndian.Uint16(data[off+4:]); m != pe.IMAGE_FILE_MACHINE_AMD64 {
				t.Errorf("machine 0x%x, want amd64 (0x%x)", m, pe.IMAGE_FILE_MACHINE_AMD64)
			}
			f, err := pe.Open(filepath.Join(dir, name))
			if err != nil {
				t.Fatalf("debug/pe: %v", err)
			}
			defer f.Close()
			if f.Characteristics&pe.IMAGE_FILE_EXECUTABLE_IMAGE == 0 {
				t.Error("not marked executable")
			}
		})
	}
}

// TestDistLinux checks the Linux files are ELF executables for amd64.
func TestDistLinux(t *testing.T) {
	dir := filepath.Join(distDir(t), "linux-amd64")
	for _, name := range []string{"kaspel-server", "kaspel-client", "kaspel-agent", "kaspel-install"} {
		t.Run(name, func(t *testing.T) {
			f, err := elf.Open(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if f.Machine != elf.EM_X86_64 || f.Type != elf.ET_EXEC && f.Type != elf.ET_DYN {
				t.Errorf("got %v %v, want an x86-64 executable", f.Machine, f.Type)
			}
			if fi, _ := os.Stat(filepath.Join(dir, name)); fi.Mode().Perm()&0o111 == 0 {
				t.Error("not executable")
			}
		})
	}
}
