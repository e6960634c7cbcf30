//go:build !linux

package publish

import "os"

func startWriteback(*os.File, int64, int64) {}
