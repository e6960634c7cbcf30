package semester

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/boxbuild/boxbuild/internal/catalog"
	"github.com/boxbuild/boxbuild/internal/config"
	"github.com/boxbuild/boxbuild/internal/publish"
	"github.com/boxbuild/boxbuild/internal/server"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func testWorkspace() *config.Workspace {
	return &config.Workspace{Org: "tbz",
		Boxes: []*config.Box{{Name: "lamp", Version: "2.1"}, {Name: "mysql", Version: "1.0"}},
		Semesters: []*config.Semester{
			{Name: "HS26", Starts: day("2026-08-17"), Ends: day("2027-01-31"), Courses: []*config.Course{
				{Name: "m151", Box: "lamp", Version: "~> 2.1.0"},
				{Name: "m164", Box: "mysql", Version: "~> 1.0.0"},
			}},
			{Name: "FS27", Starts: day("2027-02-15"), Ends: day("2027-07-10"), Courses: []*config.Course{
				{Name: "m151", Box: "lamp", Version: "~> 2.2.0"},
			}},
		}}
}

// publishVersions puts a tiny box file for each version of tbz/box into st.
func publishVersions(t *testing.T, st *catalog.Store, box string, versions ...string) {
	t.Helper()
	for _, v := range versions {
		f := filepath.Join(t.TempDir(), "x.box")
		if err := os.WriteFile(f, []byte(box+" "+v), 0o644); err != nil {
			t.Fatal(err)
		}
		e := catalog.Entry{Org: "tbz", Box: box, Version: v, Provider: "libvirt", Arch: "amd64"}
		if _, err := (&publish.Local{Store: st}).Publish(t.Context(), publish.Box{Entry: e, File: f}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestPins(t *testing.T) {
	ws := testWorkspace()
	tests := []struct {
		name string
		now  time.Time
		want []string // protected "box@version"
	}{
		{name: "during HS26", now: day("2026-11-27"), want: []string{"tbz/lamp@2.1.0", "tbz/lamp@2.1.7", "tbz/mysql@1.0.3"}},
		{name: "first day", now: day("2026-08-17"), want: []string{"tbz/lamp@2.1.0", "tbz/lamp@2.1.7", "tbz/mysql@1.0.3"}},
		{name: "last day", now: day("2027-01-31").Add(23 * time.Hour), want: []string{"tbz/lamp@2.1.0", "tbz/lamp@2.1.7", "tbz/mysql@1.0.3"}},
		{name: "between terms", now: day("2027-02-01"), want: nil},
		{name: "during FS27", now: day("2027-03-01"), want: []string{"tbz/lamp@2.2.0"}},
	}
	candidates := []string{"tbz/lamp@2.0.9", "tbz/lamp@2.1.0", "tbz/lamp@2.1.7", "tbz/lamp@2.2.0", "tbz/lamp@2.2.0-beta",
		"tbz/mysql@1.0.3", "tbz/mysql@1.1.0", "tbz/other@2.1.0"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pins := Pins(ws, tt.now)
			var got []string
			for _, c := range candidates {
				box, v, _ := cut(c)
				if _, ok := pins.Protects(box, v); ok {
					got = append(got, c)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("protected versions mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func cut(s string) (string, string, bool) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '@' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func TestPinsKeepVersionsFromPrune(t *testing.T) {
	st, err := catalog.Open(t.TempDir(), "http://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	publishVersions(t, st, "lamp", "2.0.0", "2.1.0", "2.1.1", "2.2.0", "2.3.0")
	removed, err := st.Prune(1, Pins(testWorkspace(), day("2026-11-27")))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range removed {
		got = append(got, r.Version)
	}
	if diff := cmp.Diff([]string{"2.2.0", "2.0.0"}, got); diff != "" {
		t.Errorf("pruned versions mismatch (-want +got):\n%s", diff)
	}
}

// TestCheck reads the catalog both ways `boxbuild semester status` can: from the folder, and
// over HTTP from the real catalog server, as Vagrant would.
func TestCheck(t *testing.T) {
	sources := map[string]func(*testing.T, *catalog.Store) Source{
		"folder": func(_ *testing.T, st *catalog.Store) Source { return StoreSource{st} },
		"served": func(t *testing.T, st *catalog.Store) Source {
			hs := httptest.NewServer(nil) // the handler needs the URL; it is set before any request
			srv, err := server.New(server.Options{Dir: st.Dir, BaseURL: hs.URL})
			if err != nil {
				t.Fatal(err)
			}
			hs.Config.Handler = srv.Handler()
			t.Cleanup(func() { hs.Close(); srv.Close() })
			return HTTPSource{BaseURL: hs.URL + "/"}
		},
	}
	for name, source := range sources {
		t.Run(name, func(t *testing.T) {
			ws := testWorkspace()
			st, err := catalog.Open(t.TempDir(), "http://127.0.0.1:1")
			if err != nil {
				t.Fatal(err)
			}
			publishVersions(t, st, "lamp", "2.1.0", "2.1.1", "2.2.0")
			publishVersions(t, st, "mysql", "1.1.0")
			src := source(t, st)
			got, err := Check(ws, ws.Semester("HS26"), src, day("2026-11-27"))
			if err != nil {
				t.Fatal(err)
			}
			want := &Status{Semester: "HS26", Starts: "2026-08-17", Ends: "2027-01-31", Active: true, Missing: 1,
				Courses: []CourseStatus{
					{Course: "m151", Box: "tbz/lamp", Pin: "~> 2.1.0", Resolves: "2.1.1", Providers: []string{"libvirt"}, Latest: "2.2.0"},
					{Course: "m164", Box: "tbz/mysql", Pin: "~> 1.0.0", Latest: "1.1.0", Missing: true},
				}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Check() mismatch (-want +got):\n%s", diff)
			}
			if err := st.Revoke("tbz", "lamp", "2.1.1"); err != nil {
				t.Fatal(err)
			}
			got, err = Check(ws, ws.Semester("HS26"), src, day("2026-11-27"))
			if err != nil {
				t.Fatal(err)
			}
			if got.Courses[0].Resolves != "2.1.0" {
				t.Errorf("after revoking 2.1.1, m151 resolves to %q, want 2.1.0", got.Courses[0].Resolves)
			}
		})
	}
}

// TestHTTPSourceErrors: a box never published reads as empty; anything else that is not the
// metadata is an error naming the URL.
func TestHTTPSourceErrors(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/tbz/new":
			http.NotFound(w, r)
		case "/tbz/broken":
			w.Write([]byte(`{"name": "tbz/broken", "versions": [`))
		default:
			http.Error(w, "boom", http.StatusInternalServerError)
		}
	}))
	defer hs.Close()
	src := HTTPSource{BaseURL: hs.URL}
	m, err := src.Metadata("tbz", "new")
	if err != nil || m.Name != "tbz/new" || len(m.Versions) != 0 {
		t.Errorf("never published: got %+v, %v; want empty metadata", m, err)
	}
	for box, want := range map[string]string{
		"broken": "read catalog: " + hs.URL + "/tbz/broken: unexpected EOF",
		"down":   "read catalog: GET " + hs.URL + "/tbz/down: 500 Internal Server Error",
	} {
		if _, err := src.Metadata("tbz", box); err == nil || err.Error() != want {
			t.Errorf("%s: got error %v, want %q", box, err, want)
		}
	}
}

func TestView(t *testing.T) {
	st, err := catalog.Open(t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	publishVersions(t, st, "lamp", "2.0.0", "2.1.0", "2.1.1", "2.2.0")
	srv := httptest.NewServer(NewView(ViewOptions{Workspace: testWorkspace(), Store: st, BaseURL: "http://boxes.test/"}))
	defer srv.Close()
	tests := []struct {
		name, method, path string
		code               int
		versions           []string
	}{
		{name: "HS26 lamp", method: "GET", path: "/semesters/HS26/tbz/lamp", code: 200, versions: []string{"2.1.0", "2.1.1"}},
		{name: "HS26 lamp json", method: "GET", path: "/semesters/HS26/tbz/lamp.json", code: 200, versions: []string{"2.1.0", "2.1.1"}},
		{name: "FS27 lamp", method: "GET", path: "/semesters/FS27/tbz/lamp", code: 200, versions: []string{"2.2.0"}},
		{name: "pinned, nothing published", method: "GET", path: "/semesters/HS26/tbz/mysql", code: 200, versions: []string{}},
		{name: "HEAD", method: "HEAD", path: "/semesters/HS26/tbz/lamp", code: 200},
		{name: "box not pinned", method: "GET", path: "/semesters/FS27/tbz/mysql", code: 404},
		{name: "no such semester", method: "GET", path: "/semesters/XX99/tbz/lamp", code: 404},
		{name: "other path", method: "GET", path: "/tbz/lamp", code: 404},
		{name: "traversal", method: "GET", path: "/semesters/HS26/../../etc/passwd", code: 404},
		{name: "PUT", method: "PUT", path: "/semesters/HS26/tbz/lamp", code: 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(t.Context(), tt.method, srv.URL+tt.path, nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.code {
				t.Fatalf("%s %s = %d, want %d", tt.method, tt.path, resp.StatusCode, tt.code)
			}
			if tt.code != 200 {
				return
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", ct)
			}
			if tt.method == "HEAD" {
				return
			}
			var m catalog.Metadata
			if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, v := range m.Versions {
				got = append(got, v.Version)
				if want := "http://boxes.test/tbz/lamp/" + v.Version + "/libvirt/amd64.box"; v.Providers[0].URL != want {
					t.Errorf("box URL = %q, want %q", v.Providers[0].URL, want)
				}
			}
			if diff := cmp.Diff(tt.versions, got); diff != "" {
				t.Errorf("versions mismatch (-want +got):\n%s", diff)
			}
			if m.Name != "tbz/"+filepath.Base(tt.path[:len(tt.path)-len(filepath.Ext(tt.path))]) {
				t.Errorf("name = %q", m.Name)
			}
		})
	}
}
