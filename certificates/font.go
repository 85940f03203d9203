package certificates

import (
	_ "embed"
	"fmt"
	"strings"

	"golang.org/x/image/font/sfnt"
)

// fontTTF is WenQuanYi Micro Hei, face 0 of Debian's TTC, cut to ASCII + GBK by
// fonts/regen.sh (licence in fonts/LICENSE). It is a string, not a []byte, so nothing can
// change it: every document converts it to its own []byte copy (see newDocument).
//
//go:embed fonts/wqy-microhei-gbk.ttf
var fontTTF string

// fontCmap answers which characters the embedded font has. It is parsed once, at package
// initialisation, reading straight from the embedded string; it is never modified afterwards,
// and sfnt.Font is safe for concurrent use as long as each call brings its own Buffer.
var fontCmap = mustParseFont(fontTTF)

func mustParseFont(ttf string) *sfnt.Font {
	f, err := sfnt.ParseReaderAt(strings.NewReader(ttf))
	if err != nil {
		// The font is part of the binary: failing here is a build defect, not a runtime condition.
		panic(fmt.Sprintf("certificates: parse embedded font: %v", err))
	}
	return f
}
