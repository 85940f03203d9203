#!/usr/bin/env bash
# regen.sh rebuilds wqy-microhei-gbk.ttf, the font the certificates package embeds.
#
# Why: gofpdf reads only plain TrueType (no TTC collections, no CFF outlines), and Debian's
# fonts-wqy-microhei ships a TTC. Face 0 of it (WenQuanYi Micro Hei, proportional) has TrueType
# outlines, Latin and every GBK hanzi, so we take that face, cut it to ASCII + everything GBK can
# encode + common full-width punctuation, drop what a PDF never uses (hinting, OpenType layout,
# vertical metrics), and save a plain TTF that is small enough to commit and go:embed.
#
# Usage (from anywhere; needs fonts-wqy-microhei and python3-fonttools):
#   certificates/fonts/regen.sh [path/to/wqy-microhei.ttc]
# then run `go test ./certificates/` and commit the TTF. The output is reproducible: the same
# source TTC and fontTools version give the same bytes (timestamps are not recalculated).
set -euo pipefail
cd "$(dirname "$0")"
src="${1:-/usr/share/fonts/truetype/wqy/wqy-microhei.ttc}"
out="wqy-microhei-gbk.ttf"

# Debian's python3-fonttools is installed for /usr/bin/python3; a pyenv or venv python3 earlier in
# PATH may not have it. $PYTHON overrides the choice.
py="${PYTHON:-}"
if [ -z "$py" ]; then
  for cand in python3 /usr/bin/python3; do
    if "$cand" -c 'import fontTools.subset' 2>/dev/null; then py="$cand"; break; fi
  done
fi
if [ -z "$py" ]; then
  echo "regen.sh: no python3 with fontTools (apt-get install python3-fonttools, or set PYTHON)" >&2
  exit 1
fi

"$py" - "$src" "$out" <<'PY'
import sys
from fontTools.ttLib import TTFont
from fontTools import subset

src, out = sys.argv[1], sys.argv[2]

# Face 0 is "WenQuanYi Micro Hei"; face 1 is the Mono variant.
font = TTFont(src, fontNumber=0, recalcTimestamp=False)
assert font["name"].getDebugName(4) == "WenQuanYi Micro Hei", font["name"].getDebugName(4)
assert "glyf" in font, "face 0 must have TrueType (glyf) outlines"

# ASCII, every BMP character Python's GBK codec encodes (GB2312 + the GBK extension: rare name
# characters such as 喆 堃 玥 昇 珺 龑), and full-width/CJK punctuation that forms and dates use.
wanted = set(range(0x20, 0x7F))
for cp in range(0x80, 0x10000):
    if 0xD800 <= cp <= 0xDFFF:
        continue
    try:
        chr(cp).encode("gbk")
    except UnicodeEncodeError:
        continue
    wanted.add(cp)
wanted.update(range(0x3000, 0x3040))   # CJK symbols and punctuation: 、。〈〉《》「」【】〔〕…
wanted.update(range(0xFF01, 0xFF5F))   # full-width ASCII forms: ，．：；？！（）０-９Ａ-Ｚ
wanted.update(range(0xFFE0, 0xFFE7))   # full-width ￠￡￢￣￤￥￦
wanted.update([0x00A0, 0x00B7, 0x2010, 0x2013, 0x2014, 0x2015, 0x2018, 0x2019,
               0x201C, 0x201D, 0x2026, 0x2030, 0x203B, 0x2116, 0x2160, 0x2161, 0x2162, 0x30FB])

cmap = font.getBestCmap()
keep = sorted(cp for cp in wanted if cp in cmap)

opts = subset.Options()
opts.layout_features = []          # GSUB/GPOS: gofpdf does no shaping
opts.hinting = False               # TrueType instructions: PDF viewers render unhinted at print sizes
opts.notdef_outline = True         # a visible box for .notdef, never an invisible one
opts.glyph_names = False           # post format 3
opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]   # copyright, names, licence
opts.name_languages = ["*"]
opts.drop_tables += ["FFTM", "GDEF", "GPOS", "GSUB", "vhea", "vmtx", "gasp"]
opts.recalc_timestamp = False
sub = subset.Subsetter(opts)
sub.populate(unicodes=keep)
sub.subset(font)

for ch in "喆堃玥昇珺龑0123456789AZaz准考证海门区":
    assert ord(ch) in font.getBestCmap(), "subset lost %r" % ch
font.save(out)
print("%s: %d characters, %d glyphs" % (out, len(font.getBestCmap()), font["maxp"].numGlyphs))
PY
ls -l "$out"
