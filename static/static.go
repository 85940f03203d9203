// Package static holds the browser's files (CSS, JS), embedded into the binary.
package static

import "embed"

// FS is the static files, served under /static/.
//
//go:embed *.css *.js
var FS embed.FS
