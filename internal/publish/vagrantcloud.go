package publish

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/boxbuild/boxbuild/internal/catalog"
)

// VagrantCloudURL is the API v2 base of Vagrant Cloud / HCP Vagrant (being shut down by its vendor).
const VagrantCloudURL = "https://app.vagrantup.com/api/v2"

// VagrantCloud publishes through the Vagrant Cloud API v2: create the box and version if
// missing, create the provider with its architecture and checksum, upload through the direct
// upload URL, confirm with the callback, release the version. Deliberately small.
type VagrantCloud struct {
	URL    string // API base; "" means VagrantCloudURL
	Token  string
	Client *http.Client
}

type vcVersion struct {
	Version   string `json:"version"`
	Status    string `json:"status"`
	Providers []struct {
		Name         string `json:"name"`
		Architecture string `json:"architecture"`
		Checksum     string `json:"checksum"`
	} `json:"providers"`
}

// Publish implements Publisher.
func (v *VagrantCloud) Publish(ctx context.Context, b Box) (Result, error) {
	e := b.Entry
	res := Result{Entry: e, Method: "vagrantcloud", Sha256: b.Sha256, Size: b.Size}
	if res.Sha256 == "" { // the provider is created with its checksum before the upload
		f, err := os.Open(b.File)
		if err != nil {
			return res, fmt.Errorf("publish: %w", err)
		}
		res.Sha256, res.Size, err = hashFile(f)
		f.Close()
		if err != nil {
			return res, fmt.Errorf("publish %s: %w", b.File, err)
		}
	}
	boxPath := "/box/" + e.Org + "/" + e.Box
	verPath := boxPath + "/version/" + e.Version

	if st, err := v.call(ctx, "GET", boxPath, nil, nil); err != nil && st != http.StatusNotFound {
		return res, err
	} else if st == http.StatusNotFound {
		body := map[string]any{"box": map[string]any{"username": e.Org, "name": e.Box, "short_description": b.Description, "is_private": false}}
		if _, err := v.call(ctx, "POST", "/boxes", body, nil); err != nil {
			return res, err
		}
	}
	var ver vcVersion
	if st, err := v.call(ctx, "GET", verPath, nil, &ver); err != nil && st != http.StatusNotFound {
		return res, err
	} else if st == http.StatusNotFound {
		body := map[string]any{"version": map[string]any{"version": e.Version, "description": b.Description}}
		if _, err := v.call(ctx, "POST", boxPath+"/versions", body, &ver); err != nil {
			return res, err
		}
	}
	for _, p := range ver.Providers {
		if p.Name == e.Provider && p.Architecture == e.Arch {
			if !strings.EqualFold(p.Checksum, res.Sha256) {
				return res, fmt.Errorf("vagrant cloud: %s@%s %s/%s already has checksum %s, not %s: %w", e.Name(), e.Version, e.Provider, e.Arch, p.Checksum, res.Sha256, catalog.ErrConflict)
			}
			res.Unchanged = true
			return res, nil
		}
	}
	prov := map[string]any{"provider": map[string]any{
		"name": e.Provider, "architecture": e.Arch, "default_architecture": e.Arch == "amd64",
		"checksum": res.Sha256, "checksum_type": "sha256",
	}}
	if _, err := v.call(ctx, "POST", verPath+"/providers", prov, nil); err != nil {
		return res, err
	}
	var up struct {
		UploadPath string `json:"upload_path"`
		Callback   string `json:"callback"`
	}
	if _, err := v.call(ctx, "GET", verPath+"/provider/"+e.Provider+"/"+e.Arch+"/upload/direct", nil, &up); err != nil {
		return res, err
	}
	if up.UploadPath == "" {
		return res, fmt.Errorf("vagrant cloud: no upload_path in the upload answer")
	}
	if err := v.upload(ctx, up.UploadPath, b.File); err != nil {
		return res, err
	}
	if up.Callback != "" {
		if _, err := v.call(ctx, "PUT", up.Callback, nil, nil); err != nil {
			return res, err
		}
	}
	if ver.Status != "active" {
		if _, err := v.call(ctx, "PUT", verPath+"/release", nil, nil); err != nil {
			return res, err
		}
	}
	return res, nil
}

// call sends one API request; path is below the API base unless it is an absolute URL (the
// callback). It returns the status and an error for anything but 2xx.
func (v *VagrantCloud) call(ctx context.Context, method, path string, body, out any) (int, error) {
	u := path
	if !strings.HasPrefix(path, "http://") && !strings.HasPrefix(path, "https://") {
		base := v.URL
		if base == "" {
			base = VagrantCloudURL
		}
		u = strings.TrimRight(base, "/") + path
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+v.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := v.client().Do(req)
	if err != nil {
		return 0, fmt.Errorf("vagrant cloud %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode/100 != 2 {
		var e struct{ Errors []any }
		_ = json.Unmarshal(data, &e)
		return resp.StatusCode, fmt.Errorf("vagrant cloud %s %s: %s %v", method, path, resp.Status, e.Errors)
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, fmt.Errorf("vagrant cloud %s %s: %w", method, path, err)
		}
	}
	return resp.StatusCode, nil
}

// upload PUTs the file to the pre-signed upload URL; the token is not sent there, since that
// URL belongs to the storage service.
func (v *VagrantCloud) upload(ctx context.Context, u, file string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, u, f)
	if err != nil {
		return err
	}
	req.ContentLength = st.Size()
	req.Header.Set("Content-Type", "application/octet-stream")
	resp, err := v.client().Do(req)
	if err != nil {
		return fmt.Errorf("vagrant cloud upload: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("vagrant cloud upload: %s", resp.Status)
	}
	return nil
}

func (v *VagrantCloud) client() *http.Client {
	if v.Client != nil {
		return v.Client
	}
	return http.DefaultClient
}
