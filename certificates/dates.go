package certificates

import (
	"fmt"
	"time"

	"auxportal/clock"
)

// chineseDate formats t's civil date in China as 2026年12月5日.
func chineseDate(t time.Time) string {
	c := clock.InChina(t)
	return fmt.Sprintf("%d年%d月%d日", c.Year(), int(c.Month()), c.Day())
}

// timeSpan formats a sitting's time in China as 2026年12月5日 09:00–10:30, naming the end's date
// too when the sitting crosses midnight.
func timeSpan(start, end time.Time) string {
	s, e := clock.InChina(start), clock.InChina(end)
	if s.Year() == e.Year() && s.YearDay() == e.YearDay() {
		return fmt.Sprintf("%s %s–%s", chineseDate(s), s.Format("15:04"), e.Format("15:04"))
	}
	return fmt.Sprintf("%s %s–%s %s", chineseDate(s), s.Format("15:04"), chineseDate(e), e.Format("15:04"))
}
