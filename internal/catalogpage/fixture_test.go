package catalogpage

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/boxbuild/boxbuild/internal/catalog"
	"github.com/boxbuild/boxbuild/internal/config"
	"github.com/boxbuild/boxbuild/internal/publish"
	"github.com/boxbuild/boxbuild/internal/server"
)

// serve runs srv on l as `boxbuild serve` does, until the test ends.
func serve(t *testing.T, srv *server.Server, l net.Listener) {
	done := make(chan struct{})
	go func() { defer close(done); srv.Serve(t.Context(), l, time.Second) }()
	t.Cleanup(func() { <-done; srv.Close() })
}

// site is a catalog with a few published boxes and a semester, served on 127.0.0.1 the way
// `boxbuild serve` combines the parts: the semester views at /semesters/, this page at /,
// /static/ and /vagrantfiles/, and the catalog server for everything else.
type site struct {
	URL   string
	Store *catalog.Store
	WS    *config.Workspace
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func testWorkspace(dir string) *config.Workspace {
	lamp := &config.Box{Name: "lamp", Version: "2.1", Description: "Apache, PHP and MariaDB",
		Providers: []string{"libvirt", "virtualbox"}, CPUs: 2, Memory: 2048,
		Forwards: []*config.Forward{{Name: "http", Guest: 80, Host: 8080, Protocol: "tcp"}}}
	mysql := &config.Box{Name: "mysql", Version: "1.0", Providers: []string{"libvirt"}, CPUs: 2, Memory: 2048}
	pg := &config.Box{Name: "postgresql", Version: "1.0", Providers: []string{"libvirt"}, CPUs: 2, Memory: 2048}
	return &config.Workspace{Dir: dir, Org: "tbz", Boxes: []*config.Box{lamp, mysql, pg},
		Semesters: []*config.Semester{
			{Name: "FS26", Starts: day("2026-02-16"), Ends: day("2026-07-10"), Courses: []*config.Course{
				{Name: "m100", Box: "lamp", Version: "~> 2.0.0"},
			}},
			{Name: "HS26", Starts: day("2026-08-17"), Ends: day("2027-01-31"), Courses: []*config.Course{
				{Name: "m151", Box: "lamp", Version: "~> 2.1.0", Memory: 3072},
				{Name: "m164", Box: "mysql", Version: "~> 1.0.0"},
				{Name: "m165", Box: "postgresql", Version: "~> 1.0.0"},
			}},
		}}
}

var descriptions = map[string]string{"lamp": "Apache, PHP & MariaDB <for the web modules>", "mysql": "MariaDB server"}

func newSite(t *testing.T) *site {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + l.Addr().String()
	dir := t.TempDir()
	st, err := catalog.Open(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []struct{ box, version, provider string }{
		{"lamp", "2.1.0", "libvirt"}, {"lamp", "2.1.1", "libvirt"}, {"lamp", "2.1.1", "virtualbox"},
		{"lamp", "2.2.0", "libvirt"}, {"mysql", "1.0.0", "libvirt"},
	} {
		f := filepath.Join(t.TempDir(), "x.box")
		if err := os.WriteFile(f, []byte(strings.Repeat(b.box+b.version+b.provider, 2000)), 0o644); err != nil {
			t.Fatal(err)
		}
		e := catalog.Entry{Org: "tbz", Box: b.box, Version: b.version, Provider: b.provider, Arch: "amd64"}
		if _, err := (&publish.Local{Store: st}).Publish(t.Context(), publish.Box{Entry: e, File: f, Description: descriptions[b.box]}); err != nil {
			t.Fatal(err)
		}
	}
	ws := testWorkspace(t.TempDir())
	now := func() time.Time { return day("2026-11-27") }
	srv, err := server.New(server.Options{Dir: dir, BaseURL: base,
		Pages: Site(Options{Store: st, Workspace: ws, BaseURL: base, Now: now})})
	if err != nil {
		t.Fatal(err)
	}
	serve(t, srv, l)
	return &site{URL: base, Store: st, WS: ws}
}
