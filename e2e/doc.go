// Package e2e holds the end-to-end tests of auxportal: the real binary, built once and
// started on a loopback port with a fresh database, driven by a real headless Chromium
// (Debian's chromium-headless-shell) through chromedp.
//
// Run them with `go test ./e2e/` (they are part of `go test ./...`). Without a browser they
// skip, unless CI is set, where they fail. Environment:
//
//   - AUXPORTAL_CHROME: the browser binary (default: chromium-headless-shell, chromium, … in
//     PATH or /usr/bin, /usr/lib/chromium).
//   - AUXPORTAL_E2E_SHOTS: a directory for the PNG screenshots of the journey (default: the
//     test's temporary directory, removed afterwards).
//   - AUXPORTAL_TEST_MYSQL_DSN: when set (e.g. root@tcp(127.0.0.1:3306)/), the portal runs
//     on a fresh MySQL/MariaDB database instead of a SQLite file.
//   - CI: when non-empty, a missing browser fails the tests instead of skipping them.
package e2e
