package recruitment

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"auxportal/models"
	"auxportal/workdays"
)

// The district's working-day calendar: per year, the statutory holidays and the weekend days
// worked in exchange (调休), as the State Council announces them. Periods counted in working days
// (the 公示期) are computed from it by package workdays. Each year is one setting row.

func calendarKey(year int) string { return fmt.Sprintf("workdays:%d", year) }

// CalendarView is one year of the calendar as the district admin's page shows it.
type CalendarView struct {
	Year     int    `json:"year"`
	Entered  bool   `json:"entered"`  // the district has entered this year
	Holidays string `json:"holidays"` // one date or range a line, as ParseYear reads them
	Workdays string `json:"workdays"`
	// Days is the year's special days, sorted.
	Days []workdays.Day `json:"days"`
	// CanEdit: the district enters the calendar; town admins see it.
	CanEdit bool `json:"can_edit"`
}

// CalendarInput is a year's calendar as entered.
type CalendarInput struct {
	Holidays string `json:"holidays"`
	Workdays string `json:"workdays"`
}

// yearDays reads one year's special days inside st.
func (s *Service) yearDays(ctx context.Context, st *models.Store, year int) ([]workdays.Day, bool, error) {
	v, ok, err := st.GetSetting(ctx, calendarKey(year))
	if err != nil || !ok {
		return nil, false, err
	}
	var days []workdays.Day
	if err := json.Unmarshal([]byte(v), &days); err != nil {
		return nil, false, fmt.Errorf("calendar %d: %w", year, err)
	}
	return days, true, nil
}

// calendar is the working-day calendar of the years given, and those of them not entered.
func (s *Service) calendar(ctx context.Context, st *models.Store, years ...int) (workdays.Calendar, []int, error) {
	var all []workdays.Day
	var missing []int
	for _, y := range years {
		days, ok, err := s.yearDays(ctx, st, y)
		if err != nil {
			return workdays.Calendar{}, nil, err
		}
		if !ok {
			missing = append(missing, y)
		}
		all = append(all, days...)
	}
	return workdays.New(all), missing, nil
}

// Calendar shows a year of the calendar to an admin.
func (s *Service) Calendar(ctx context.Context, actor models.Actor, year int) (*CalendarView, error) {
	if !actor.IsAdmin() {
		return nil, models.Deny(actor, "只有管理员可以查看工作日历")
	}
	if year < workdays.MinYear || year > workdays.MaxYear {
		return nil, fieldErr("year", fmt.Sprintf("年份须在 %d 至 %d 之间", workdays.MinYear, workdays.MaxYear))
	}
	days, ok, err := s.yearDays(ctx, s.store, year)
	if err != nil {
		return nil, err
	}
	return &CalendarView{Year: year, Entered: ok, Days: days, CanEdit: actor.IsDistrictAdmin(),
		Holidays: workdays.Format(days, workdays.Holiday), Workdays: workdays.Format(days, workdays.Workday)}, nil
}

// SetCalendar replaces a year's holidays and adjusted workdays: the district admin only,
// audited. A 公示 already started keeps the dates it was published with.
func (s *Service) SetCalendar(ctx context.Context, actor models.Actor, year int, in CalendarInput) (*CalendarView, error) {
	if !actor.IsDistrictAdmin() {
		if !actor.IsAdmin() {
			return nil, models.Deny(actor, "只有管理员可以查看工作日历")
		}
		return nil, models.Deny(actor, "节假日安排由区城管局统一录入")
	}
	days, errs := workdays.ParseYear(year, in.Holidays, in.Workdays)
	if errs != nil {
		fe := models.FieldErrors{}
		msgs := map[string][]string{}
		for _, e := range errs {
			field := "holidays"
			if e.List == workdays.Workday {
				field = "workdays"
			}
			if e.Line == 0 {
				field = "year"
			}
			msgs[field] = append(msgs[field], e.Error())
		}
		for f, m := range msgs {
			fe.Add(f, strings.Join(m, "；"))
		}
		return nil, fe.Err()
	}
	if days == nil {
		days = []workdays.Day{}
	}
	b, err := json.Marshal(days)
	if err != nil {
		return nil, fmt.Errorf("calendar %d: %w", year, err)
	}
	holidays, worked := 0, 0
	for _, d := range days {
		if d.Kind == workdays.Holiday {
			holidays++
		} else {
			worked++
		}
	}
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := tx.PutSetting(ctx, calendarKey(year), string(b), actor.UserID, s.clock.Now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "calendar.set", "calendar", uint64(year), nil, "",
			map[string]any{"year": year, "holidays": holidays, "workdays": worked})
	})
	if err != nil {
		return nil, err
	}
	return s.Calendar(ctx, actor, year)
}
