package loadkit

import (
	"os"
	"path/filepath"
)

// WorkDir is a run's working directory: dir when given (created if missing), else a fresh
// temporary one named by prefix, removed by cleanup unless keep. cleanup is never nil.
func WorkDir(dir, prefix string, keep bool) (path string, cleanup func(), err error) {
	if dir != "" {
		return dir, func() {}, os.MkdirAll(dir, 0o755)
	}
	if path, err = os.MkdirTemp("", prefix); err != nil {
		return "", func() {}, err
	}
	if keep {
		return path, func() {}, nil
	}
	return path, func() { _ = os.RemoveAll(path) }, nil
}

// ProfileDir makes the directory for a run's profiles and returns it absolute (the portal is
// started in another working directory); "" stays "" (no profiles).
func ProfileDir(dir string) (string, error) {
	if dir == "" {
		return "", nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	return abs, os.MkdirAll(abs, 0o755)
}
