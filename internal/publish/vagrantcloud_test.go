package publish

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/boxbuild/boxbuild/internal/catalog"
)

// vagrantCloudStandIn is a stand-in for the Vagrant Cloud API v2 (the real service cannot be
// reached from tests and is being shut down): it follows the documented endpoints for boxes,
// versions, providers with architecture, direct upload with callback, and release.
type vagrantCloudStandIn struct {
	*httptest.Server
	t        *testing.T
	token    string
	mu       sync.Mutex
	boxes    map[string]bool
	versions map[string]*standInVersion // "user/name/version"
	uploads  map[string][]byte          // upload id → bytes
	calls    []string
}

type standInVersion struct {
	Version   string             `json:"version"`
	Status    string             `json:"status"`
	Providers []*standInProvider `json:"providers"`
}

type standInProvider struct {
	Name         string `json:"name"`
	Architecture string `json:"architecture"`
	Default      bool   `json:"default_architecture"`
	Checksum     string `json:"checksum"`
	ChecksumType string `json:"checksum_type"`
	uploaded     []byte
}

func newVagrantCloudStandIn(t *testing.T, token string) *vagrantCloudStandIn {
	v := &vagrantCloudStandIn{t: t, token: token, boxes: map[string]bool{}, versions: map[string]*standInVersion{}, uploads: map[string][]byte{}}
	mux := http.NewServeMux()
	api := func(pattern string, h func(w http.ResponseWriter, r *http.Request)) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			v.mu.Lock()
			defer v.mu.Unlock()
			v.calls = append(v.calls, r.Method+" "+r.URL.Path)
			if r.Header.Get("Authorization") != "Bearer "+v.token {
				writeJSON(w, 401, map[string]any{"errors": []string{"Invalid token"}, "success": false})
				return
			}
			if r.Method == "POST" && r.Header.Get("Content-Type") != "application/json" {
				writeJSON(w, 400, map[string]any{"errors": []string{"JSON required"}, "success": false})
				return
			}
			h(w, r)
		})
	}
	key := func(r *http.Request) string { return r.PathValue("user") + "/" + r.PathValue("name") }
	vkey := func(r *http.Request) string { return key(r) + "/" + r.PathValue("version") }
	api("GET /api/v2/box/{user}/{name}", func(w http.ResponseWriter, r *http.Request) {
		if !v.boxes[key(r)] {
			writeJSON(w, 404, map[string]any{"errors": []string{"Resource not found!"}, "success": false})
			return
		}
		writeJSON(w, 200, map[string]any{"tag": key(r)})
	})
	api("POST /api/v2/boxes", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Box struct{ Username, Name string }
		}
		json.NewDecoder(r.Body).Decode(&body)
		v.boxes[body.Box.Username+"/"+body.Box.Name] = true
		writeJSON(w, 201, map[string]any{"tag": body.Box.Username + "/" + body.Box.Name})
	})
	api("GET /api/v2/box/{user}/{name}/version/{version}", func(w http.ResponseWriter, r *http.Request) {
		ver := v.versions[vkey(r)]
		if ver == nil {
			writeJSON(w, 404, map[string]any{"errors": []string{"Resource not found!"}, "success": false})
			return
		}
		writeJSON(w, 200, ver)
	})
	api("POST /api/v2/box/{user}/{name}/versions", func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Version struct{ Version string } }
		json.NewDecoder(r.Body).Decode(&body)
		if !v.boxes[key(r)] {
			writeJSON(w, 404, map[string]any{"errors": []string{"box not found"}})
			return
		}
		ver := &standInVersion{Version: body.Version.Version, Status: "unreleased", Providers: []*standInProvider{}}
		v.versions[key(r)+"/"+body.Version.Version] = ver
		writeJSON(w, 201, ver)
	})
	api("POST /api/v2/box/{user}/{name}/version/{version}/providers", func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Provider *standInProvider }
		json.NewDecoder(r.Body).Decode(&body)
		ver := v.versions[vkey(r)]
		for _, p := range ver.Providers {
			if p.Name == body.Provider.Name && p.Architecture == body.Provider.Architecture {
				writeJSON(w, 422, map[string]any{"errors": []string{"Metadata provider must be unique for version"}})
				return
			}
		}
		ver.Providers = append(ver.Providers, body.Provider)
		writeJSON(w, 201, body.Provider)
	})
	api("GET /api/v2/box/{user}/{name}/version/{version}/provider/{provider}/{arch}/upload/direct", func(w http.ResponseWriter, r *http.Request) {
		id := strings.ReplaceAll(vkey(r)+"/"+r.PathValue("provider")+"/"+r.PathValue("arch"), "/", "_")
		writeJSON(w, 200, map[string]any{
			"upload_path": v.URL + "/storage/" + id,
			"callback":    v.URL + r.URL.Path + "/complete/" + id,
		})
	})
	mux.HandleFunc("PUT /storage/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			t.Errorf("the API token was sent to the storage upload URL")
		}
		b, _ := io.ReadAll(r.Body)
		v.mu.Lock()
		v.uploads[r.PathValue("id")] = b
		v.mu.Unlock()
	})
	api("PUT /api/v2/box/{user}/{name}/version/{version}/provider/{provider}/{arch}/upload/direct/complete/{id}", func(w http.ResponseWriter, r *http.Request) {
		b, ok := v.uploads[r.PathValue("id")]
		if !ok {
			writeJSON(w, 400, map[string]any{"errors": []string{"no upload"}})
			return
		}
		for _, p := range v.versions[vkey(r)].Providers {
			if p.Name == r.PathValue("provider") && p.Architecture == r.PathValue("arch") {
				p.uploaded = b
			}
		}
		writeJSON(w, 200, map[string]any{"success": true})
	})
	api("PUT /api/v2/box/{user}/{name}/version/{version}/release", func(w http.ResponseWriter, r *http.Request) {
		v.versions[vkey(r)].Status = "active"
		writeJSON(w, 200, v.versions[vkey(r)])
	})
	v.Server = httptest.NewServer(mux)
	t.Cleanup(v.Close)
	return v
}

func writeJSON(w http.ResponseWriter, code int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(body)
}

func TestVagrantCloudPublish(t *testing.T) {
	cloud := newVagrantCloudStandIn(t, "vc-token")
	dir := t.TempDir()
	file := filepath.Join(dir, "x.box")
	want := writeRandom(t, file, 5000)
	content, _ := os.ReadFile(file)
	vc := &VagrantCloud{URL: cloud.URL + "/api/v2", Token: "vc-token"}
	e := catalog.Entry{Org: "tbz", Box: "lamp", Version: "2.1.0", Provider: "libvirt", Arch: "amd64"}

	res, err := vc.Publish(context.Background(), Box{Entry: e, File: file, Description: "LAMP"})
	if err != nil {
		t.Fatalf("Publish: %v\ncalls: %v", err, cloud.calls)
	}
	if res.Unchanged || res.Sha256 != want {
		t.Errorf("Publish = %+v", res)
	}
	ver := cloud.versions["tbz/lamp/2.1.0"]
	if ver == nil || ver.Status != "active" || len(ver.Providers) != 1 {
		t.Fatalf("version after publish = %+v; want one provider, released", ver)
	}
	p := ver.Providers[0]
	if p.Architecture != "amd64" || !p.Default || p.Checksum != want || p.ChecksumType != "sha256" || !bytes.Equal(p.uploaded, content) {
		t.Errorf("provider = %+v (uploaded %d bytes); want amd64 default with the sha256 and the file", p, len(p.uploaded))
	}

	// arm64 joins the released version; the same file again is a no-op.
	e2 := e
	e2.Arch = "arm64"
	if _, err := vc.Publish(context.Background(), Box{Entry: e2, File: file, Sha256: want}); err != nil {
		t.Fatalf("Publish arm64: %v", err)
	}
	if got := cloud.versions["tbz/lamp/2.1.0"].Providers[1]; got.Default || got.Architecture != "arm64" {
		t.Errorf("arm64 provider = %+v; want a non-default arm64", got)
	}
	if res, err := vc.Publish(context.Background(), Box{Entry: e, File: file}); err != nil || !res.Unchanged {
		t.Errorf("same content again = %+v, %v; want unchanged", res, err)
	}
	other := filepath.Join(dir, "other.box")
	writeRandom(t, other, 100)
	if _, err := vc.Publish(context.Background(), Box{Entry: e, File: other}); !errors.Is(err, catalog.ErrConflict) {
		t.Errorf("other content under 2.1.0 = %v; want ErrConflict", err)
	}
	bad := &VagrantCloud{URL: cloud.URL + "/api/v2", Token: "wrong"}
	e.Version = "2.2.0"
	if _, err := bad.Publish(context.Background(), Box{Entry: e, File: file}); err == nil || strings.Contains(err.Error(), "wrong") {
		t.Errorf("bad token = %v; want an error without the token", err)
	}
}
