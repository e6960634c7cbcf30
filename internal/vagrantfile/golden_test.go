package vagrantfile

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/boxbuild/boxbuild/internal/config"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// testWorkspace is a small workspace built in memory: one box for every provider, a derived
// box with a port, and a semester whose course overrides memory, CPUs and a port.
func testWorkspace() *config.Workspace {
	base := &config.Box{Name: "debian12", Version: "1.0", Description: "Debian 12 base",
		Providers: []string{"libvirt", "virtualbox", "vmware_esxi", "vmware_desktop"}, CPUs: 2, Memory: 1024}
	lamp := &config.Box{Name: "lamp", Version: "2.1", From: "debian12",
		Description: "Apache, PHP and \"MariaDB\"\nfor #{web} modules",
		Providers:   base.Providers, CPUs: 2, Memory: 2048,
		Forwards: []*config.Forward{
			{Name: "http", Guest: 80, Host: 8080, Protocol: "tcp"},
			{Name: "mysql", Guest: 3306, Host: 13306, Protocol: "tcp"},
		}}
	day := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	return &config.Workspace{
		Dir: "/nonexistent", Org: "tbz",
		Catalogs: []*config.Catalog{{Name: "local", Kind: "local", URL: "http://127.0.0.1:8099/"}},
		Boxes:    []*config.Box{base, lamp},
		Semesters: []*config.Semester{{Name: "HS26", Starts: day("2026-08-17"), Ends: day("2027-01-31"),
			Courses: []*config.Course{{Name: "m151", Box: "lamp", Version: "~> 2.1.0", Memory: 3072, CPUs: 4,
				Forwards: []*config.Forward{
					{Name: "http", Guest: 80, Host: 18080, Protocol: "tcp"},
					{Name: "dns", Guest: 53, Host: 10053, Protocol: "udp"},
				}}}}},
	}
}

func TestGolden(t *testing.T) {
	ws := testWorkspace()
	tmpl, err := Parse(TemplateFile, DefaultTemplate)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name, target, semester string
		opts                   Options
	}{
		{name: "box-virtualbox", target: "debian12", opts: Options{Provider: "virtualbox"}},
		{name: "box-vmware_esxi", target: "debian12", opts: Options{Provider: "vmware_esxi"}},
		{name: "box-vmware_desktop", target: "debian12", opts: Options{Provider: "vmware_desktop"}},
		{name: "box-libvirt", target: "debian12", opts: Options{Provider: "libvirt"}},
		{name: "box-all-providers", target: "lamp"},
		{name: "course-m151", target: "m151", semester: "HS26"},
		{name: "course-m151-libvirt", target: "m151", opts: Options{Provider: "libvirt"}},
		{name: "box-vagrantcloud", target: "lamp", opts: Options{Provider: "virtualbox",
			Catalog: &config.Catalog{Name: "cloud", Kind: "vagrantcloud", URL: "https://vagrantcloud.com"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target, err := Resolve(ws, tt.target, tt.semester, now)
			if err != nil {
				t.Fatal(err)
			}
			d, err := target.Data(ws, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			got, err := tmpl.Render(d)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tt.name+".Vagrantfile")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("Render() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGoldenREADME(t *testing.T) {
	ws := testWorkspace()
	d, err := ForCourse(ws, ws.Semesters[0], ws.Semesters[0].Courses[0], Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := README(d)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "course-m151.README.md")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("README() mismatch (-want +got):\n%s", diff)
	}
}
