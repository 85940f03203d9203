// Package certificates renders the portal's printed documents as PDF: admission tickets
// (准考证) for the unified pre-job training exam (rule T-1) and the work permits (上岗证)
// issued to those who pass (rule T-2).
//
// Every document is drawn with gofpdf and one embedded CJK font (WenQuanYi Micro Hei cut to
// ASCII + GBK, see fonts/regen.sh), so Chinese is real, searchable text. Text that the font
// cannot draw is refused with ErrGlyphMissing before anything is written, never printed as a
// blank box. QR codes are vector squares; photos are JPEGs placed into a box.
package certificates
