package build

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHashOutputs(t *testing.T) {
	dir := t.TempDir()
	box, disk := filepath.Join(dir, "x.box"), filepath.Join(dir, "x.qcow2")
	os.WriteFile(box, []byte("the box"), 0o644)
	os.WriteFile(disk, []byte("the disk"), 0o644)
	hex256 := func(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }

	sum, size, diskSum, err := hashOutputs(box, disk)
	if err != nil || sum != hex256("the box") || size != 7 || diskSum != hex256("the disk") {
		t.Errorf("hashOutputs(box, disk) = %s, %d, %s, %v", sum, size, diskSum, err)
	}
	if _, _, diskSum, err := hashOutputs(box, ""); err != nil || diskSum != "" {
		t.Errorf("without a disk: disk sum %q, err %v; want none", diskSum, err)
	}
	for name, paths := range map[string][2]string{
		"packer reported success but the box is missing": {filepath.Join(dir, "gone.box"), disk},
		"the disk a derived box starts from is missing":  {box, filepath.Join(dir, "gone.qcow2")},
	} {
		if _, _, _, err := hashOutputs(paths[0], paths[1]); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("want an error saying %q, got %v", name, err)
		}
	}
}
