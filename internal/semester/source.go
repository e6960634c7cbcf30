package semester

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/boxbuild/boxbuild/internal/catalog"
)

// HTTPSource reads metadata from a served catalog, as Vagrant does: GET <base>/<org>/<box>.
type HTTPSource struct {
	BaseURL string
	Client  *http.Client // nil: http.DefaultClient
}

// Metadata implements Source; 404 means the box was never published.
func (s HTTPSource) Metadata(org, box string) (*catalog.Metadata, error) {
	url := strings.TrimRight(s.BaseURL, "/") + "/" + org + "/" + box
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	c := s.Client
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return &catalog.Metadata{Name: org + "/" + box, Versions: []*catalog.Version{}}, nil
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("read catalog: GET %s: %s", url, resp.Status)
	}
	var m catalog.Metadata
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(&m); err != nil {
		return nil, fmt.Errorf("read catalog: %s: %w", url, err)
	}
	return &m, nil
}
