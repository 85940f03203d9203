package recruitment

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"auxportal/models"
	"auxportal/screening"
)

const baseConditionsKey = "base_conditions"

// EnsureBaseConditions stores Attachment 2's base conditions unless the district has set its own.
func (s *Service) EnsureBaseConditions(ctx context.Context) error {
	b, err := json.Marshal(screening.Base())
	if err != nil {
		return err
	}
	return s.store.InsertSettingIfMissing(ctx, baseConditionsKey, string(b), s.clock.Now())
}

// BaseConditions returns the district's base conditions (rule R-2).
func (s *Service) BaseConditions(ctx context.Context) (screening.Conditions, error) {
	v, ok, err := s.store.GetSetting(ctx, baseConditionsKey)
	if err != nil {
		return screening.Conditions{}, err
	}
	if !ok {
		return screening.Base(), nil
	}
	var c screening.Conditions
	if err := json.Unmarshal([]byte(v), &c); err != nil {
		return screening.Conditions{}, fmt.Errorf("decode base conditions: %w", err)
	}
	return c, nil
}

// SetBaseConditions replaces the district's base conditions. Published openings keep the
// conditions they were published with; only new openings see the change. Attachment 2 is the
// notice's floor (rules A2-2…A2-4): the district may tighten it, never relax it (apply checks).
func (s *Service) SetBaseConditions(ctx context.Context, actor models.Actor, in ConditionsInput, reason string) (screening.Conditions, error) {
	if !actor.IsDistrictAdmin() {
		return screening.Conditions{}, models.Deny(actor, "只有区城管局可以设定基本招聘条件")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return screening.Conditions{}, fieldErr("reason", "请填写修改原因（不超过 500 字）")
	}
	old, err := s.BaseConditions(ctx)
	if err != nil {
		return screening.Conditions{}, err
	}
	c, err := in.apply(old)
	if err != nil {
		return screening.Conditions{}, err
	}
	if err := checkConditions(c, nil); err != nil {
		return screening.Conditions{}, err
	}
	b, _ := json.Marshal(c)
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := tx.PutSetting(ctx, baseConditionsKey, string(b), actor.UserID, s.clock.Now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "base_conditions.update", "setting", 0, nil, reason,
			map[string]any{"old": old, "new": c})
	})
	return c, err
}

// ConditionsInput overrides some conditions; a nil field keeps the value it is applied to.
type ConditionsInput struct {
	MinAge              *int    `json:"min_age"`
	MaxAge              *int    `json:"max_age"`
	RelaxedMaxAge       *int    `json:"relaxed_max_age"`
	MinEducation        *string `json:"min_education"`
	EducationRelaxation *bool   `json:"education_relaxation"`
	RelaxedMinEducation *string `json:"relaxed_min_education"`
	AllowHKMacaoTaiwan  *bool   `json:"allow_hk_macao_taiwan"`
	AllowForeign        *bool   `json:"allow_foreign"`
	HukouRequired       *string `json:"hukou_required"`
	LicenceRequired     *string `json:"licence_required"`
	Extra               *string `json:"extra"`
}

// apply overrides c with the input's fields; checkConditions judges the result.
func (in ConditionsInput) apply(c screening.Conditions) (screening.Conditions, error) {
	fe := models.FieldErrors{}
	setInt := func(dst *int, v *int) {
		if v != nil {
			*dst = *v
		}
	}
	setInt(&c.MinAge, in.MinAge)
	setInt(&c.MaxAge, in.MaxAge)
	setInt(&c.RelaxedMaxAge, in.RelaxedMaxAge)
	setEdu := func(field string, dst *screening.Education, v *string) {
		if v == nil {
			return
		}
		e, err := screening.ParseEducation(*v)
		if err != nil {
			fe.Add(field, "学历选项无效")
			return
		}
		*dst = e
	}
	setEdu("min_education", &c.MinEducation, in.MinEducation)
	setEdu("relaxed_min_education", &c.RelaxedMinEducation, in.RelaxedMinEducation)
	if in.EducationRelaxation != nil {
		c.EducationRelaxation = *in.EducationRelaxation
	}
	if in.AllowHKMacaoTaiwan != nil {
		c.AllowHKMacaoTaiwan = *in.AllowHKMacaoTaiwan
	}
	if in.AllowForeign != nil {
		c.AllowForeign = *in.AllowForeign
	}
	setText := func(field string, dst *string, v *string, max int) {
		if v == nil {
			return
		}
		t := strings.TrimSpace(*v)
		if utf8.RuneCountInString(t) > max {
			fe.Add(field, fmt.Sprintf("不能超过 %d 个字", max))
			return
		}
		*dst = t
	}
	setText("hukou_required", &c.HukouRequired, in.HukouRequired, 64)
	setText("licence_required", &c.LicenceRequired, in.LicenceRequired, 64)
	setText("extra", &c.Extra, in.Extra, 2000)
	if err := fe.Err(); err != nil {
		return c, err
	}
	return c, nil
}

// checkConditions judges conditions in the order that names the real problem first: against
// the base they add to (rule R-2; nil when c is the base itself), against Attachment 2's floor,
// then for internal consistency.
func checkConditions(c screening.Conditions, base *screening.Conditions) error {
	if base != nil {
		if err := checkTightens(c, *base); err != nil {
			return err
		}
	}
	if err := checkFloor(c); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return models.Invalid("invalid_conditions", "招聘条件有误：%s", err.Error())
	}
	return nil
}

// checkTightens enforces rule R-2 on an opening's conditions against the district base.
func checkTightens(c, base screening.Conditions) error {
	if err := c.CheckTightens(base); err != nil {
		var ce *screening.ConditionsError
		msg := err.Error()
		if errors.As(err, &ce) {
			msg = ce.Error()
		}
		return models.Invalid("relaxes_base_conditions", "区镇附加条件只能比区基本条件更严格（规则 R-2）：%s", msg)
	}
	return nil
}

func fieldErr(field, msg string) error {
	fe := models.FieldErrors{}
	fe.Add(field, msg)
	return fe.Err()
}
