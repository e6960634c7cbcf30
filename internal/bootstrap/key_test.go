package bootstrap

import (
	"strings"
	"testing"
)

func TestKey(t *testing.T) {
	base := Key(Spec{})
	tests := []struct {
		name string
		spec Spec
		same bool
	}{
		{"defaults spelled out", Spec{Suite: DefaultSuite, Mirror: DefaultMirror, DiskMB: DefaultDiskMB}, true},
		{"packages order and duplicates do not matter", Spec{Packages: []string{"b", "a", "b"}}, false},
		{"other suite", Spec{Suite: "trixie"}, false},
		{"other mirror", Spec{Mirror: "http://127.0.0.1:3142/debian"}, false},
		{"other disk size", Spec{DiskMB: 4096}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Key(tt.spec) == base; got != tt.same {
				t.Errorf("Key(%+v) == Key(Spec{}) is %v, want %v", tt.spec, got, tt.same)
			}
		})
	}
	if a, b := Key(Spec{Packages: []string{"b", "a", "b"}}), Key(Spec{Packages: []string{"a", "b"}}); a != b {
		t.Errorf("package order changed the key: %s vs %s", a, b)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		spec    Spec
		wantErr string
	}{
		{"defaults", Spec{}, ""},
		{"option as package", Spec{Packages: []string{"--foo"}}, "invalid suite or package"},
		{"comma in package", Spec{Packages: []string{"a,b"}}, "invalid suite or package"},
		{"mirror not http", Spec{Mirror: "file:///srv/debian"}, "not an http(s) URL"},
		{"tiny disk", Spec{DiskMB: 100}, "too small"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.spec.withDefaults().validate()
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("validate() = %v, want error containing %q", err, tt.wantErr)
			}
		})
	}
}

// TestEnsureBrokenCacheEntryIsMiss: a cache entry whose disk is missing must not be returned.
func TestLoadBrokenEntry(t *testing.T) {
	if _, err := load(t.TempDir()); err == nil {
		t.Fatal("load of an empty folder succeeded")
	}
}
