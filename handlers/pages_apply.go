package handlers

import (
	"errors"
	"reflect"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"

	"auxportal/models"
	"auxportal/recruitment"
)

// The application form's rounds (the "step" button pressed):
//
//	review (the default): keep the files sent, check the whole form, show the confirmation page
//	edit:   back from the confirmation page to the form, values and files kept
//	submit: file the application from the confirmed values and the files received
//
// Nothing is filed before submit, and without JavaScript every round still works.
const (
	stepReview = "review"
	stepEdit   = "edit"
	stepSubmit = "submit"
)

// applyStep reads the button pressed; anything unknown is the safe default, review.
func applyStep(c *gin.Context) string {
	var v string
	if mf := c.Request.MultipartForm; mf != nil {
		v = formString(mf.Value, "step")
	}
	switch v {
	case stepEdit, stepSubmit:
		return v
	}
	return stepReview
}

// withStaged fills in what the applicant has already sent for the opening; the form says so
// beside each file input and lets it be replaced.
func (s *Server) withStaged(c *gin.Context, p *page) error {
	ap := p.Data.(applyPage)
	staged, err := s.rec.StagedFiles(c.Request.Context(), actorOf(c), ap.Opening.ID)
	if err != nil {
		return err
	}
	ap.Staged = map[string]recruitment.StagedFile{}
	for _, f := range staged {
		ap.Staged[f.Kind] = f
	}
	p.Data = ap
	return nil
}

// mergeFormErrors joins the field errors of a form's parts (the fields, the files) into one
// list, so the page names every problem at once; an error that is not about fields wins.
func mergeFormErrors(errs ...error) error {
	fields := models.FieldErrors{}
	var first *models.Error
	for _, err := range errs {
		if err == nil {
			continue
		}
		if !isFieldError(err) {
			return err
		}
		e, _ := models.AsError(err)
		if first == nil {
			first = e
		}
		for k, v := range e.Fields {
			fields.Add(k, v)
		}
	}
	if first == nil {
		return nil
	}
	out := *first
	out.Fields = fields
	return &out
}

// isFieldError says err is about named fields of a form (the user fixes them there), not about
// the request as a whole.
func isFieldError(err error) bool {
	e, ok := models.AsError(err)
	return ok && errors.Is(err, models.ErrInvalid) && len(e.Fields) > 0
}

// applyFieldOrder is the order of the application form's fields, for the error summary.
var applyFieldOrder = []string{"name", "id_number", "education", "major", "former_aux_end",
	"accepts_conditions", "healthy", "under_discipline", "criminal_penalty_unfinished", "under_investigation", "other_bar"}

// fieldError is one line of a form's error summary.
type fieldError struct {
	Field, Message string
}

// orderedErrors lists a form's field errors in the form's order (the application form's
// fields, then its files, then any other field by name), as the summary above it shows them.
func orderedErrors(errs map[string]string) []fieldError {
	rank := map[string]int{}
	for i, f := range applyFieldOrder {
		rank[f] = i + 1
	}
	for i, k := range recruitment.FileKinds() {
		rank["file_"+k] = len(applyFieldOrder) + i + 1
	}
	out := make([]fieldError, 0, len(errs))
	for k, v := range errs {
		out = append(out, fieldError{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		ri, rj := rank[out[i].Field], rank[out[j].Field]
		if ri == 0 {
			ri = 1 << 20
		}
		if rj == 0 {
			rj = 1 << 20
		}
		if ri != rj {
			return ri < rj
		}
		return out[i].Field < out[j].Field
	})
	return out
}

// stagedFile serves a file received with an unfiled form to its own account (the photo's
// preview on the form and the confirmation page); to anyone else it does not exist.
func (s *Server) stagedFile(c *gin.Context) {
	u, err := s.rec.StagedFile(c.Request.Context(), actorOf(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	servePrivate(c, u.ContentType, u.Data)
}

// hiddenField is one value the confirmation page sends back with the final submit.
type hiddenField struct {
	Name, Value string
}

// hiddenFields turns a form back into the fields the form posted, read from the struct's json
// names (they are the form's names), so a field added to the form is carried through the
// confirmation step without another list to keep in step: text as typed, a ticked box as
// "on" (an unticked one is left out, as a browser does), a 是/否 answer as true or false.
func hiddenFields(f recruitment.ApplicationForm) []hiddenField {
	var out []hiddenField
	v, t := reflect.ValueOf(f), reflect.TypeOf(f)
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		switch x := v.Field(i).Interface().(type) {
		case string:
			if x != "" {
				out = append(out, hiddenField{name, x})
			}
		case bool:
			if x {
				out = append(out, hiddenField{name, "on"})
			}
		case *bool:
			if x != nil {
				out = append(out, hiddenField{name, map[bool]string{true: "true", false: "false"}[*x]})
			}
		}
	}
	return append(out, profileHidden(f.Profile)...)
}
