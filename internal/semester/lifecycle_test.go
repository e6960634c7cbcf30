package semester_test

import (
	"archive/tar"
	"compress/gzip"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/boxbuild/boxbuild/internal/catalog"
	"github.com/boxbuild/boxbuild/internal/catalogpage"
	"github.com/boxbuild/boxbuild/internal/config"
	"github.com/boxbuild/boxbuild/internal/publish"
	"github.com/boxbuild/boxbuild/internal/semester"
	"github.com/boxbuild/boxbuild/internal/server"
	"github.com/boxbuild/boxbuild/internal/testutil"
	"github.com/boxbuild/boxbuild/internal/vagrantfile"
)

// TestLifecycleWithVagrant follows a course through a term with Debian's real Vagrant
// client against the catalog server, the semester view and the course's generated
// Vagrantfile: a student adds the pinned box, a patch rebuild is offered, a new minor
// version is not, and prune keeps what the running semester pins.
func TestLifecycleWithVagrant(t *testing.T) {
	testutil.Slow(t)
	vagrant := testutil.RequireTool(t, "vagrant")
	now := time.Now()
	ws := &config.Workspace{Org: "tbz", Dir: t.TempDir(),
		Boxes: []*config.Box{{Name: "lamp", Version: "2.1", Providers: []string{"libvirt"}, CPUs: 1, Memory: 512,
			Forwards: []*config.Forward{{Name: "http", Guest: 80, Host: 8080, Protocol: "tcp"}}}},
		Semesters: []*config.Semester{{Name: "HS26", Starts: now.AddDate(0, -1, 0), Ends: now.AddDate(0, 3, 0),
			Courses: []*config.Course{{Name: "m151", Box: "lamp", Version: "~> 2.1.0"}}}},
	}
	base, store := serveCatalog(t, ws)
	pub := func(v string) {
		t.Helper()
		e := catalog.Entry{Org: "tbz", Box: "lamp", Version: v, Provider: "libvirt", Arch: "amd64"}
		if _, err := (&publish.Local{Store: store}).Publish(t.Context(), publish.Box{Entry: e, File: makeBox(t, "libvirt", v)}); err != nil {
			t.Fatal(err)
		}
	}
	pub("2.0.0") // last term's version: not pinned by HS26
	pub("2.1.0")

	// The course's Vagrantfile, as `boxbuild vagrantfile m151` writes it for this catalog.
	d, err := vagrantfile.ForCourse(ws, ws.Semesters[0], ws.Semesters[0].Courses[0],
		vagrantfile.Options{Catalog: &config.Catalog{Kind: "local", URL: base}})
	if err != nil {
		t.Fatal(err)
	}
	if want := base + "/semesters/HS26/tbz/lamp"; d.BoxURL != want || d.BoxVersion != "~> 2.1.0" {
		t.Fatalf("course settings: box_url %q, box_version %q; want %q, ~> 2.1.0", d.BoxURL, d.BoxVersion, want)
	}
	tmpl, err := vagrantfile.Parse(vagrantfile.TemplateFile, vagrantfile.DefaultTemplate)
	if err != nil {
		t.Fatal(err)
	}
	text, err := tmpl.Render(d)
	if err != nil {
		t.Fatal(err)
	}
	project := t.TempDir()
	if err := os.WriteFile(filepath.Join(project, "Vagrantfile"), text, 0o644); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(t.Context(), vagrant, args...)
		cmd.Dir = project
		cmd.Env = append(os.Environ(), "VAGRANT_HOME="+home, "VAGRANT_CHECKPOINT_DISABLE=1",
			"VAGRANT_NO_COLOR=1", "VAGRANT_DEFAULT_PROVIDER=libvirt")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("vagrant %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		// Vagrant wraps its messages to the terminal width; compare words, not lines.
		return strings.Join(strings.Fields(string(out)), " ")
	}

	// A student adds the box with the course's settings: the pin picks 2.1.0, not 2.0.0.
	run("box", "add", "--box-version", d.BoxVersion, "--provider", "libvirt", d.BoxURL)
	if got := run("box", "list"); !strings.Contains(got, "tbz/lamp (libvirt, 2.1.0)") {
		t.Fatalf("box list after add:\n%s", got)
	}

	// A patch rebuild: the course is told about 2.1.1.
	pub("2.1.1")
	if got := run("box", "outdated", "--force"); !strings.Contains(got, "The latest is version '2.1.1'") {
		t.Fatalf("box outdated after publishing 2.1.1 does not offer it:\n%s", got)
	}

	// A new minor version: the semester view hides it, even from checks that ignore
	// box_version (--global), and an update stays on 2.1.1.
	pub("2.2.0")
	if got := run("box", "outdated", "--force"); !strings.Contains(got, "The latest is version '2.1.1'") || strings.Contains(got, "2.2.0") {
		t.Fatalf("box outdated after publishing 2.2.0:\n%s", got)
	}
	if got := run("box", "outdated", "--global"); !strings.Contains(got, "Latest: 2.1.1") || strings.Contains(got, "2.2.0") {
		t.Fatalf("box outdated --global after publishing 2.2.0:\n%s", got)
	}
	run("box", "update")
	if got := run("box", "list"); !strings.Contains(got, "tbz/lamp (libvirt, 2.1.1)") || strings.Contains(got, "2.2.0") {
		t.Fatalf("box list after update:\n%s", got)
	}

	// prune --keep 1 during the term: the newest (2.2.0) stays, and so does the whole
	// pinned 2.1 line; only 2.0.0 goes.
	removed, err := store.Prune(1, semester.Pins(ws, now))
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 1 || removed[0].Version != "2.0.0" {
		t.Errorf("prune removed %+v, want only 2.0.0", removed)
	}
	rec, err := store.Load("tbz", "lamp")
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, v := range rec.Versions {
		left = append(left, v.Version)
	}
	if diff := cmp.Diff([]string{"2.1.0", "2.1.1", "2.2.0"}, left); diff != "" {
		t.Errorf("versions after prune (-want +got):\n%s", diff)
	}
	// And the student still resolves to 2.1.1 after the prune.
	if got := run("box", "outdated", "--force"); !strings.Contains(got, "is up to date") {
		t.Errorf("box outdated after prune:\n%s", got)
	}
}

// serveCatalog serves a new catalog on a free 127.0.0.1 port with the handler `boxbuild serve`
// uses: the catalog server, its pages and semester views from catalogpage.Site.
func serveCatalog(t *testing.T, ws *config.Workspace) (string, *catalog.Store) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + l.Addr().String()
	dir := t.TempDir()
	store, err := catalog.Open(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Options{Dir: dir, BaseURL: base,
		Pages: catalogpage.Site(catalogpage.Options{Store: store, Workspace: ws, BaseURL: base})})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); srv.Serve(t.Context(), l, time.Second) }()
	t.Cleanup(func() { <-done; srv.Close() })
	return base, store
}

// makeBox writes a small real .box: a gzipped tar with metadata.json naming the provider and
// a disk placeholder whose content differs per version.
func makeBox(t *testing.T, provider, version string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), provider+"-"+version+".box")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	files := []struct{ name, body string }{
		{"metadata.json", fmt.Sprintf(`{"provider":%q,"format":"qcow2","virtual_size":1}`, provider)},
		{"box.img", "disk of version " + version + "\n"},
	}
	for _, file := range files {
		if err := tw.WriteHeader(&tar.Header{Name: file.name, Mode: 0o644, Size: int64(len(file.body)), ModTime: time.Now()}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(file.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}
