package catalog

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFilter(t *testing.T) {
	m := &Metadata{Name: "lab/deb12"}
	for _, v := range []string{"1.0.0", "1.2.0", "1.2.5", "1.3.0", "2.0.0", "2.1.0-beta", "10.0.0"} {
		m.Versions = append(m.Versions, &Version{Version: v})
	}
	tests := []struct {
		constraint string
		want       []string
	}{
		{"~> 1.2", []string{"1.2.0", "1.2.5", "1.3.0"}},
		{"~> 1.2.0", []string{"1.2.0", "1.2.5"}},
		{">= 1.0, < 1.2.5", []string{"1.0.0", "1.2.0"}},
		{">= 2.0", []string{"2.0.0", "10.0.0"}}, // numeric order, prerelease excluded
		{"= 3.0", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.constraint, func(t *testing.T) {
			got, err := Filter(m, tt.constraint)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, versions(got)); d != "" {
				t.Errorf("Filter(%q) mismatch (-want +got):\n%s", tt.constraint, d)
			}
		})
	}
	if _, err := Filter(m, "latest"); err == nil {
		t.Error("Filter accepted the constraint \"latest\"")
	}
}

func TestPinSet(t *testing.T) {
	ps := PinSet{
		{Semester: "HS26", Box: "lab/lamp", Constraint: "~> 2.1.0"},
		{Semester: "FS27", Box: "lab/pg", Constraint: ">= 1.0, < 1.3"},
		{Semester: "OLD", Box: "lab/odd", Constraint: "not a constraint"},
	}
	tests := []struct {
		box, version, sem string
		ok                bool
	}{
		{"lab/lamp", "2.1.7", "HS26", true},
		{"lab/lamp", "2.2.0", "", false},
		{"lab/lamp", "2.0.9", "", false},
		{"lab/pg", "1.2.9", "FS27", true},
		{"lab/pg", "1.3.0", "", false},
		{"other/lamp", "2.1.7", "", false},
		{"lab/odd", "9.9.9", "OLD", true},
	}
	for _, tt := range tests {
		t.Run(tt.box+"@"+tt.version, func(t *testing.T) {
			sem, ok := ps.Protects(tt.box, tt.version)
			if sem != tt.sem || ok != tt.ok {
				t.Errorf("Protects(%s, %s) = %q, %v; want %q, %v", tt.box, tt.version, sem, ok, tt.sem, tt.ok)
			}
		})
	}
}

func TestPrune(t *testing.T) {
	s, _ := Open(t.TempDir(), "http://h")
	for _, v := range []string{"1.0.0", "2.1.0", "2.1.1", "2.2.0", "2.3.0", "3.0.0"} {
		mustPut(t, s, Entry{"lab", "lamp", v, "libvirt", "amd64"}, []byte(v))
	}
	mustPut(t, s, Entry{"lab", "pg", "1.0.0", "libvirt", "amd64"}, []byte("pg"))
	if err := s.Revoke("lab", "lamp", "3.0.0"); err != nil { // newest, revoked: still never pruned
		t.Fatal(err)
	}
	pins := PinSet{{Semester: "HS26", Box: "lab/lamp", Constraint: "~> 2.1.0"}}

	plan, err := s.PlanPrune(2, pins)
	if err != nil {
		t.Fatal(err)
	}
	want := []Removal{{Box: "lab/lamp", Version: "1.0.0"}}
	// kept: 3.0.0 (newest), 2.3.0 and 2.2.0 (two newest released), 2.1.x (pinned)
	if d := cmp.Diff(want, plan); d != "" {
		t.Errorf("PlanPrune(2) mismatch (-want +got):\n%s", d)
	}
	done, err := s.Prune(1, pins)
	if err != nil {
		t.Fatal(err)
	}
	want = []Removal{{Box: "lab/lamp", Version: "2.2.0"}, {Box: "lab/lamp", Version: "1.0.0"}}
	if d := cmp.Diff(want, done); d != "" {
		t.Errorf("Prune(1) mismatch (-want +got):\n%s", d)
	}
	r, _ := s.Load("lab", "lamp")
	var left []string
	for _, v := range r.Versions {
		left = append(left, v.Version)
	}
	if d := cmp.Diff([]string{"2.1.0", "2.1.1", "2.3.0", "3.0.0"}, left); d != "" {
		t.Errorf("versions after prune (-want +got):\n%s", d)
	}
	if err := s.Verify(true); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

func TestCleanTemp(t *testing.T) {
	s, _ := Open(t.TempDir(), "http://h")
	mustPut(t, s, Entry{"lab", "deb12", "1.0.0", "libvirt", "amd64"}, []byte("one"))
	old := []string{
		filepath.Join(s.Dir, "lab/deb12/1.0.0/libvirt", tempPrefix+"amd64.box-123"),
		filepath.Join(s.Dir, StateDir, "lab", tempPrefix+"deb12.json-456"),
	}
	young := filepath.Join(s.Dir, "lab/deb12/1.0.0/libvirt", tempPrefix+"arm64.box-789")
	for _, p := range append(old, young) {
		if err := os.WriteFile(p, []byte("partial"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	past := time.Now().Add(-2 * time.Hour)
	for _, p := range old {
		os.Chtimes(p, past, past)
	}
	if err := s.CleanTemp(time.Hour); err != nil {
		t.Fatal(err)
	}
	for _, p := range old {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("old temp file %s survived: %v", p, err)
		}
	}
	for _, p := range []string{young, filepath.Join(s.Dir, "lab/deb12/1.0.0/libvirt/amd64.box"), s.RecordPath("lab", "deb12")} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", p, err)
		}
	}
}
