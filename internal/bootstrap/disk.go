package bootstrap

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// truncate makes a sparse file of the given size.
func truncate(path string, size int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := f.Truncate(size); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// partOffset is where the one partition starts: sector 2048, 1 MiB in.
const partOffset = 2048 * 512

// partition writes a DOS label with one bootable Linux partition from sector 2048 to the end.
func partition(ctx context.Context, raw string, log io.Writer) error {
	fmt.Fprintf(log, "+ sfdisk %s\n", raw)
	cmd := exec.CommandContext(ctx, "sfdisk", "--quiet", raw)
	cmd.Stdin = strings.NewReader("label: dos\nstart=2048, type=83, bootable\n")
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("sfdisk: %w", err)
	}
	return nil
}

// writeMBR puts syslinux's boot code into the first 440 bytes, before the partition table.
func writeMBR(raw string) error {
	code, err := os.ReadFile(mbrPath)
	if err != nil {
		return err
	}
	if len(code) > 440 {
		return fmt.Errorf("%s is %d bytes, more than the 440 of an MBR's code area", mbrPath, len(code))
	}
	f, err := os.OpenFile(raw, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteAt(code, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
