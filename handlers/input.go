package handlers

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"auxportal/media"
	"auxportal/models"
	"auxportal/recruitment"
)

func jsonDecoder(r io.Reader) *json.Decoder {
	d := json.NewDecoder(r)
	d.DisallowUnknownFields()
	return d
}

// jsonErrorText explains a JSON decoding error without echoing the input.
func jsonErrorText(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("第 %d 个字节处 JSON 语法错误", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("字段 %s 类型不对（应为 %s）", te.Field, te.Type)
	case errors.Is(err, io.EOF):
		return "请求体为空"
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return "包含未知字段 " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return "无法解析 JSON"
}

// invalidText is the answer to text that is not UTF-8: the databases either refuse it (MySQL,
// a 500 for the user) or store garbage (SQLite), so no such byte gets past the door.
var invalidText = models.Invalid("invalid_text", "提交的内容含有无法识别的字符，请检查输入法后重新填写")

// checkUTF8 refuses form values that are not valid UTF-8.
func checkUTF8(values map[string][]string) error {
	for k, vs := range values {
		if !utf8.ValidString(k) {
			return invalidText
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				e := *invalidText
				e.Fields = map[string]string{k: invalidText.Message}
				return &e
			}
		}
	}
	return nil
}

// validText refuses a request whose query or URL-encoded form is not UTF-8 before any handler
// reads it. (Multipart forms are checked where they are read; JSON decoding already replaces
// invalid bytes.)
func (s *Server) validText() gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := checkUTF8(c.Request.URL.Query()); err != nil || !utf8.ValidString(c.Request.URL.Path) {
			s.fail(c, invalidText)
			return
		}
		if c.ContentType() == "application/x-www-form-urlencoded" && c.Request.Method != http.MethodGet {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, 1<<20)
			if err := c.Request.ParseForm(); err != nil {
				s.fail(c, badRequest("表单格式有误"))
				return
			}
			if err := checkUTF8(c.Request.PostForm); err != nil {
				s.fail(c, err)
				return
			}
		}
		c.Next()
	}
}

// formBool reads a checkbox or boolean field.
func formBool(fe models.FieldErrors, form map[string][]string, name string) bool {
	v := ""
	if vs := form[name]; len(vs) > 0 {
		v = strings.ToLower(strings.TrimSpace(vs[len(vs)-1]))
	}
	switch v {
	case "", "false", "0", "off", "no":
		return false
	case "true", "1", "on", "yes":
		return true
	}
	fe.Add(name, "应为是或否")
	return false
}

// formAnswer reads a 是/否 question (rule A2-6): nil when it was not answered at all, which is
// not the same as "no".
func formAnswer(fe models.FieldErrors, form map[string][]string, name string) *bool {
	v := ""
	if vs := form[name]; len(vs) > 0 {
		v = strings.ToLower(strings.TrimSpace(vs[len(vs)-1]))
	}
	switch v {
	case "":
		return nil
	case "true", "1", "yes", "是":
		t := true
		return &t
	case "false", "0", "no", "否":
		f := false
		return &f
	}
	fe.Add(name, "应为是或否")
	return nil
}

func formString(form map[string][]string, name string) string {
	if vs := form[name]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// applicationFormFrom reads the form fields of an application (page form or API multipart).
func applicationFormFrom(form map[string][]string) (recruitment.ApplicationForm, error) {
	fe := models.FieldErrors{}
	f := recruitment.ApplicationForm{
		Name:                      formString(form, "name"),
		IDNumber:                  formString(form, "id_number"),
		Education:                 formString(form, "education"),
		Major:                     formString(form, "major"),
		FormerAuxEnd:              formString(form, "former_aux_end"),
		Veteran:                   formBool(fe, form, "veteran"),
		FormerAuxStaff:            formBool(fe, form, "former_aux_staff"),
		PartyMember:               formBool(fe, form, "party_member"),
		HeroicHonor:               formBool(fe, form, "heroic_honor"),
		AcceptsConditions:         formBool(fe, form, "accepts_conditions"),
		Healthy:                   formBool(fe, form, "healthy"),
		UnderDiscipline:           formAnswer(fe, form, "under_discipline"),
		CriminalPenaltyUnfinished: formAnswer(fe, form, "criminal_penalty_unfinished"),
		UnderInvestigation:        formAnswer(fe, form, "under_investigation"),
		OtherBar:                  formAnswer(fe, form, "other_bar"),
		HasHukou:                  formBool(fe, form, "has_hukou"),
		HasLicence:                formBool(fe, form, "has_licence"),
	}
	f.Profile = profileFrom(form)
	return f, fe.Err()
}

// readApplication reads a multipart application: fields and files, with the body capped.
func readApplication(c *gin.Context) (recruitment.ApplicationForm, map[string][]byte, error) {
	var f recruitment.ApplicationForm
	if !strings.HasPrefix(c.ContentType(), "multipart/form-data") {
		return f, nil, models.Invalid("unsupported_media_type", "报名须以 multipart/form-data 提交（含照片）")
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBody)
	if err := c.Request.ParseMultipartForm(8 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return f, nil, models.Invalid("too_large", "上传内容合计不能超过 32MB")
		}
		return f, nil, badRequest("表单格式有误")
	}
	mf := c.Request.MultipartForm
	if err := checkUTF8(mf.Value); err != nil {
		return f, nil, err
	}
	f, err := applicationFormFrom(mf.Value)
	if err != nil {
		return f, nil, err
	}
	files := map[string][]byte{}
	fe := models.FieldErrors{}
	for _, kind := range recruitment.FileKinds() {
		fhs := mf.File[kind]
		if len(fhs) == 0 {
			continue
		}
		b, err := readPart(fhs[0])
		if err != nil {
			fe.Add("file_"+kind, recruitment.FileLabel(kind)+"："+err.Error())
			continue
		}
		files[kind] = b
	}
	return f, files, fe.Err()
}

func readPart(fh *multipart.FileHeader) ([]byte, error) {
	if fh.Size > media.MaxBytes {
		return nil, media.ErrTooLarge
	}
	r, err := fh.Open()
	if err != nil {
		return nil, errors.New("无法读取上传的文件")
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, media.MaxBytes+1))
	if err != nil {
		return nil, errors.New("无法读取上传的文件")
	}
	if len(b) > media.MaxBytes {
		return nil, media.ErrTooLarge
	}
	return b, nil
}
