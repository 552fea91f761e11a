package install

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"kaspel/client/agent"
	"kaspel/client/config"
	"kaspel/client/serverapi"
	"kaspel/server/directory"
	"kaspel/server/pki"
	"kaspel/server/testrig"
	"kaspel/shared/wire"
)

// The installer against a real server (testrig) into a temporary root
// folder: every file it writes lands there, the live system is not
// touched.

var ctx = context.Background()

type world struct {
	t     *testing.T
	rig   *testrig.Rig
	admin *serverapi.Client
	fp    string // the CA fingerprint as kaspel-server prints it
	bin   string // folder with the programs to install
}

func newWorld(t *testing.T) *world {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the root-folder installation is for Linux")
	}
	rig := testrig.New(t, testrig.Options{})
	rig.AddPerson("Adam", "Admin", directory.Admin, "Staff-Pass-33")
	admin, err := serverapi.NewWithPool(rig.BaseURL, rig.CAPool)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Login(ctx, "adam.admin", "Staff-Pass-33", "Admin-PC"); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.AddRoom(ctx, "R1", ""); err != nil {
		t.Fatal(err)
	}
	fp, err := pki.Fingerprint(filepath.Dir(rig.CAFile))
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	for _, name := range []string{"kaspel-agent", "kaspel-client"} {
		if err := os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n# "+name+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return &world{t: t, rig: rig, admin: admin, fp: fp, bin: bin}
}

// code makes a one-time enrollment code.
func (w *world) code() string {
	w.t.Helper()
	codes, err := w.admin.CreateEnrollmentCodes(ctx, wire.EnrollmentCodeRequest{})
	if err != nil {
		w.t.Fatal(err)
	}
	return codes[0].Code
}

// options installs PC-07 in R1 as a PC-room computer under root.
func (w *world) options(root, system, code string) Options {
	return Options{Root: root, ServiceSystem: system, Server: w.rig.BaseURL, Fingerprint: w.fp, Mode: "pcroom",
		Room: "R1", Name: "PC-07", Code: code, BinDir: w.bin, Out: &bytes.Buffer{}, IsAdmin: func() bool { return true }}
}

func (w *world) installer(o Options) *Installer {
	w.t.Helper()
	in, err := New(o)
	if err != nil {
		w.t.Fatal(err)
	}
	return in
}

// tree lists the files and links under root with their modes (and link
// targets), for "changes nothing" and "removes everything".
func tree(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		fi, _ := os.Lstat(p)
		desc := fi.Mode().String()
		if fi.Mode()&os.ModeSymlink != 0 {
			target, _ := os.Readlink(p)
			desc += " -> " + target
		} else {
			data, _ := os.ReadFile(p)
			desc += " " + string(data)
		}
		out["/"+rel] = desc
		return nil
	})
	return out
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func wantFile(t *testing.T, path string, mode os.FileMode, contains ...string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Errorf("%s: %v", path, err)
		return
	}
	if fi.Mode().Perm() != mode {
		t.Errorf("%s: mode %v, want %v", path, fi.Mode().Perm(), mode)
	}
	data, _ := os.ReadFile(path)
	for _, c := range contains {
		if !strings.Contains(string(data), c) {
			t.Errorf("%s does not contain %q:\n%s", path, c, data)
		}
	}
}

func TestInstallSystemd(t *testing.T) {
	w := newWorld(t)
	root := t.TempDir()
	code := w.code()
	o := w.options(root, "systemd", code)
	r, err := w.installer(o).Install(ctx)
	if err != nil {
		t.Fatalf("install: %v\n%s", err, o.Out)
	}
	if !r.Changed() {
		t.Error("the first install reports no change")
	}
	etc := filepath.Join(root, "etc/kaspel")
	wantFile(t, filepath.Join(etc, "client.json"), 0o644, `"server": "`+w.rig.BaseURL+`"`, `"ca": "/etc/kaspel/ca.crt"`, `"mode": "pcroom"`, `"computer": "PC-07"`)
	wantFile(t, filepath.Join(etc, "ca.crt"), 0o644, "BEGIN CERTIFICATE")
	wantFile(t, filepath.Join(etc, "agent.json"), 0o600, `"key": "`, `"computer": "PC-07"`, `"group": "users"`)
	wantFile(t, filepath.Join(root, "etc/systemd/system/kaspel-agent.service"), 0o644,
		"ExecStart=/usr/local/bin/kaspel-agent\n", "WantedBy=multi-user.target", "Restart=always")
	if got, err := os.Readlink(filepath.Join(root, "etc/systemd/system/multi-user.target.wants/kaspel-agent.service")); err != nil || got != "/etc/systemd/system/kaspel-agent.service" {
		t.Errorf("service not enabled: link %q, %v", got, err)
	}
	wantFile(t, filepath.Join(root, "etc/xdg/autostart/kaspel-client.desktop"), 0o644,
		"[Desktop Entry]", "Type=Application", "Exec=/usr/local/bin/kaspel-client --mode pcroom\n")
	wantFile(t, filepath.Join(root, "usr/local/bin/kaspel-agent"), 0o755, "# kaspel-agent")
	wantFile(t, filepath.Join(root, "usr/local/bin/kaspel-client"), 0o755, "# kaspel-client")
	ca, _ := os.ReadFile(filepath.Join(etc, "ca.crt"))
	rigCA, _ := os.ReadFile(w.rig.CAFile)
	if !bytes.Equal(ca, rigCA) {
		t.Error("ca.crt is not the server's CA")
	}
	// The key is the agent's only: not in the public configuration.
	k, err := agent.LoadKeyFile(filepath.Join(etc, "agent.json"))
	if err != nil {
		t.Fatal(err)
	}
	if pub, _ := os.ReadFile(filepath.Join(etc, "client.json")); strings.Contains(string(pub), k.Key) {
		t.Error("the key is in client.json")
	}
	// The desktop client reads the file it is given.
	if c, err := config.Load(filepath.Join(etc, "client.json")); err != nil || c.Mode != "pcroom" || c.Computer != "PC-07" {
		t.Errorf("client config: got %+v, %v", c, err)
	}
	// The server has the computer in R1.
	pcs, err := w.admin.Computers(ctx, 0)
	if err != nil || len(pcs) != 1 || pcs[0].Name != "PC-07" || pcs[0].Room != "R1" || pcs[0].ID != k.ComputerID {
		t.Fatalf("server: got %+v, %v", pcs, err)
	}

	// Installing twice changes nothing (and does not need the used code).
	before := tree(t, root)
	o2 := w.options(root, "systemd", code)
	r, err = w.installer(o2).Install(ctx)
	if err != nil {
		t.Fatalf("second install: %v\n%s", err, o2.Out)
	}
	if r.Changed() {
		t.Errorf("second install changed: %+v", r)
	}
	if !strings.Contains(o2.Out.(*bytes.Buffer).String(), "nothing changed") {
		t.Errorf("second install says:\n%s", o2.Out)
	}
	if after := tree(t, root); !maps(before, after) {
		t.Errorf("second install changed files: before %v, after %v", keys(before), keys(after))
	}
	if pcs, _ := w.admin.Computers(ctx, 0); len(pcs) != 1 {
		t.Errorf("second install enrolled again: %+v", pcs)
	}

	// Status.
	o3 := w.options(root, "systemd", "")
	st, err := w.installer(o3).Status(ctx)
	if err != nil || st.Key != "active" || st.Room != "R1" || st.Mode != "pcroom" || !strings.HasPrefix(st.Service, "installed") ||
		st.Autostart != "/usr/local/bin/kaspel-client --mode pcroom" {
		t.Errorf("status: got %+v, %v", st, err)
	}

	// Uninstall removes everything; a second one finds nothing to do.
	r, err = w.installer(o3).Uninstall(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Changed() {
		t.Error("uninstall reports no change")
	}
	if left := tree(t, root); len(left) != 0 {
		t.Errorf("left after uninstall: %v", keys(left))
	}
	if _, err := os.Stat(etc); !os.IsNotExist(err) {
		t.Errorf("%s still there: %v", etc, err)
	}
	r, err = w.installer(o3).Uninstall(ctx)
	if err != nil || r.Changed() {
		t.Errorf("second uninstall: %+v, %v", r, err)
	}
	if _, err := w.installer(o3).Status(ctx); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("status after uninstall: got %v, want ErrNotInstalled", err)
	}
}

func maps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestInstallSysV(t *testing.T) {
	w := newWorld(t)
	root := t.TempDir()
	o := w.options(root, "", w.code()) // no systemd under root: SysV
	// The fingerprint as someone might type it: lower case, no colons.
	o.Fingerprint = strings.ToLower(strings.ReplaceAll(w.fp, ":", ""))
	o.Mode, o.Group = "kiosk", "kaspel"
	if _, err := w.installer(o).Install(ctx); err != nil {
		t.Fatalf("install: %v\n%s", err, o.Out)
	}
	wantFile(t, filepath.Join(root, "etc/init.d/kaspel-agent"), 0o755, "#!/bin/sh", "Provides:          kaspel-agent",
		`cmd="/usr/local/bin/kaspel-agent"`, "Default-Start:     2 3 4 5")
	for link, target := range sysvLinks() {
		if got, err := os.Readlink(filepath.Join(root, link)); err != nil || got != target {
			t.Errorf("%s: got %q, %v, want -> %s", link, got, err, target)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "etc/systemd")); !os.IsNotExist(err) {
		t.Error("a systemd unit was written on a SysV system")
	}
	wantFile(t, filepath.Join(root, "etc/xdg/autostart/kaspel-client.desktop"), 0o644, "Exec=/usr/local/bin/kaspel-client --mode kiosk\n")
	wantFile(t, filepath.Join(root, "etc/kaspel/agent.json"), 0o600, `"group": "kaspel"`)

	// Again with another mode: the key stays, the mode changes.
	before, _ := os.ReadFile(filepath.Join(root, "etc/kaspel/agent.json"))
	o2 := w.options(root, "", "")
	o2.Group = "kaspel"
	o2.Mode = "staff"
	r, err := w.installer(o2).Install(ctx)
	if err != nil {
		t.Fatalf("install with another mode: %v\n%s", err, o2.Out)
	}
	after, _ := os.ReadFile(filepath.Join(root, "etc/kaspel/agent.json"))
	if !bytes.Equal(before, after) {
		t.Error("the key file changed with the mode")
	}
	wantFile(t, filepath.Join(root, "etc/xdg/autostart/kaspel-client.desktop"), 0o644, "--mode staff\n")
	wantFile(t, filepath.Join(root, "etc/kaspel/client.json"), 0o644, `"mode": "staff"`)
	var changed []string
	for _, s := range r {
		if s.Changed {
			changed = append(changed, s.What)
		}
	}
	if len(changed) != 2 {
		t.Errorf("changed %v, want the client configuration and the autostart entry", changed)
	}

	if _, err := w.installer(o2).Uninstall(ctx); err != nil {
		t.Fatal(err)
	}
	if left := tree(t, root); len(left) != 0 {
		t.Errorf("left after uninstall: %v", keys(left))
	}
}

// Wrong fingerprint, bad codes, no server: refused with a clear message,
// and nothing is written.
func TestInstallRefusals(t *testing.T) {
	w := newWorld(t)
	used := w.code()
	if _, err := w.installer(w.options(t.TempDir(), "systemd", used)).Install(ctx); err != nil {
		t.Fatal(err)
	}
	expired := w.code()
	if _, err := w.rig.DB.W.Exec(`UPDATE pc_enrollment_codes SET expires_at = '2000-01-01T00:00:00Z' WHERE hint = ?`,
		strings.ReplaceAll(expired, "-", "")[:4]); err != nil {
		t.Fatal(err)
	}
	otherFP := strings.Repeat("AB:", 31) + "AB"
	tests := []struct {
		name string
		edit func(o *Options)
		want error
		text string
	}{
		{"wrong fingerprint", func(o *Options) { o.Fingerprint = otherFP }, ErrFingerprint, "does not have the fingerprint"},
		{"code used", func(o *Options) { o.Code, o.Name = used, "PC-08" }, ErrCodeUsed, "used already"},
		{"code expired", func(o *Options) { o.Code, o.Name = expired, "PC-08" }, ErrCodeExpired, "expired"},
		{"code unknown", func(o *Options) { o.Code, o.Name = "2345-6789-ABCD", "PC-08" }, ErrCodeUnknown, "does not know"},
		{"no code", func(o *Options) { o.Code, o.Name = "", "PC-08" }, nil, "--enroll"},
		{"unreachable", func(o *Options) { o.Server = "https://127.0.0.1:1" }, ErrUnreachable, "cannot be reached"},
		{"no room", func(o *Options) { o.Room, o.Code = "Turnhalle", w.code() }, nil, `room "Turnhalle"`},
		{"name enrolled", func(o *Options) { o.Code = w.code() }, nil, "enrolled already"},
		{"bad fingerprint", func(o *Options) { o.Fingerprint = "12:34" }, nil, "64 hex digits"},
		{"bad mode", func(o *Options) { o.Mode = "server" }, nil, "pcroom, staff or kiosk"},
		{"bad server", func(o *Options) { o.Server = "http://kaspel:8443" }, nil, "https://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			o := w.options(root, "systemd", w.code())
			tt.edit(&o)
			_, err := w.installer(o).Install(ctx)
			if err == nil {
				t.Fatal("installed")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.text) {
				t.Errorf("message %q does not say %q", err, tt.text)
			}
			if left := tree(t, root); len(left) != 0 {
				t.Errorf("written despite the refusal: %v", keys(left))
			}
		})
	}
	if pcs, _ := w.admin.Computers(ctx, 0); len(pcs) != 1 {
		t.Errorf("refused installs enrolled computers: %+v", pcs)
	}
}

// A revoked key needs a new code; with one, the computer is enrolled
// again.
func TestInstallAfterRevoke(t *testing.T) {
	w := newWorld(t)
	root := t.TempDir()
	if _, err := w.installer(w.options(root, "systemd", w.code())).Install(ctx); err != nil {
		t.Fatal(err)
	}
	pcs, _ := w.admin.Computers(ctx, 0)
	if err := w.admin.RevokeComputerKey(ctx, pcs[0].ID); err != nil {
		t.Fatal(err)
	}
	if st, _ := w.installer(w.options(root, "systemd", "")).Status(ctx); st.Key != "revoked" {
		t.Errorf("status: key %q, want revoked", st.Key)
	}
	_, err := w.installer(w.options(root, "systemd", "")).Install(ctx)
	if !errors.Is(err, ErrKeyRevoked) {
		t.Errorf("without a code: got %v, want ErrKeyRevoked", err)
	}
	old, _ := agent.LoadKeyFile(filepath.Join(root, "etc/kaspel/agent.json"))
	r, err := w.installer(w.options(root, "systemd", w.code())).Install(ctx)
	if err != nil || !r.Changed() {
		t.Fatalf("with a new code: %+v, %v", r, err)
	}
	k, _ := agent.LoadKeyFile(filepath.Join(root, "etc/kaspel/agent.json"))
	if k.Key == old.Key || k.ComputerID != old.ComputerID {
		t.Errorf("got key file %+v, want a new key for computer %d", k, old.ComputerID)
	}
}

// The agent runs with what the installer wrote.
func TestAgentRunsWithInstalledFiles(t *testing.T) {
	w := newWorld(t)
	root := t.TempDir()
	if _, err := w.installer(w.options(root, "systemd", w.code())).Install(ctx); err != nil {
		t.Fatal(err)
	}
	cfg, err := agent.LoadConfig(filepath.Join(root, "etc/kaspel"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Computer != "PC-07" || cfg.Mode != "pcroom" || cfg.Server != w.rig.BaseURL || cfg.Local.Group != "users" {
		t.Errorf("got %+v", cfg)
	}
	cfg.Local = agent.LocalConfig{Dir: t.TempDir()} // no chgrp in the test
	cfg.Logger = slog.New(slog.DiscardHandler)
	a, err := agent.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.Run(c) }()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		pcs, err := w.admin.Computers(ctx, 0)
		if err == nil && len(pcs) == 1 && pcs[0].Online {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the agent never came online: %+v, %v", pcs, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestNotAdmin(t *testing.T) {
	var out, errOut bytes.Buffer
	code := mainWith([]string{"install", "--server", "https://x:8443", "--fingerprint", strings.Repeat("0", 64), "--mode", "pcroom",
		"--room", "R1", "--enroll", "X"}, &out, &errOut, func() bool { return false })
	if code != 1 || !strings.Contains(errOut.String(), "must run as root") {
		t.Errorf("got exit %d, stderr %q", code, errOut.String())
	}
	code = mainWith([]string{"frobnicate"}, &out, &errOut, func() bool { return true })
	if code != 2 {
		t.Errorf("unknown command: got exit %d, want 2", code)
	}
}

func TestNormalizeFingerprint(t *testing.T) {
	want := strings.Repeat("AB", 32)
	tests := []struct {
		in  string
		ok  bool
		out string
	}{
		{strings.Repeat("AB:", 31) + "AB", true, want},
		{strings.Repeat("ab", 32), true, want},
		{" SHA256:" + strings.Repeat("ab:", 31) + "ab ", true, want},
		{strings.Repeat("AB", 31), false, ""},
		{strings.Repeat("ZZ", 32), false, ""},
		{"", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeFingerprint(tt.in)
			if (err == nil) != tt.ok || got != tt.out {
				t.Errorf("got %q, %v, want %q ok=%v", got, err, tt.out, tt.ok)
			}
		})
	}
	if Colons(want) != strings.Repeat("AB:", 31)+"AB" {
		t.Errorf("got %s", Colons(want))
	}
}
