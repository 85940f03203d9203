// Package micro holds Go benchmarks of the costs the registration storm (bench/storm) found to
// matter, small enough to profile with go test -cpuprofile:
//
//   - the image sanitising every application pays for its photo and diploma (media.Sanitize), and
//     its two halves, JPEG decoding and encoding;
//   - the password hash every registration and login pays;
//   - the eligibility check, an application and a status reload through the real router
//     (handlers.New) with httptest — no network — on a fresh database (in-memory SQLite, or
//     MariaDB when AUXPORTAL_TEST_MYSQL_DSN is set), signed in and anonymous.
//
// Run:
//
//	go test -run '^$' -bench . -benchmem ./bench/micro/
//	go test -run '^$' -bench EligibilitySignedIn -cpuprofile /tmp/cpu.out ./bench/micro/ && go tool pprof -top /tmp/cpu.out
//
// Plain `go test ./...` runs none of them (benchmarks only run with -bench).
package micro
