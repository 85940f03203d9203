package handlers

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"auxportal/accounts"
	"auxportal/models"
)

// The account pages: registration in two steps (the phone number and its code, then the
// account), the forgotten-password reset, the password change, e-mail verification and the
// district's staff reset. They work without JavaScript.

func (s *Server) accountPages(r *gin.Engine) {
	r.GET("/register", s.pageRegisterForm)
	r.POST("/register/code", s.limit("codes"), s.pageRegisterCode)
	r.GET("/register/verify", s.pageRegisterVerify)
	r.POST("/register", s.limit("register"), s.pageRegister)
	r.GET("/password/forgot", s.pageForgotForm)
	r.POST("/password/forgot", s.limit("codes"), s.pageForgot)
	r.GET("/password/reset", s.pageResetForm)
	r.POST("/password/reset", s.limit("login"), s.pageReset)
	r.GET("/me/password", s.pagePasswordForm)
	r.POST("/me/password", s.pageChangePassword)
	r.POST("/me/email/verify", s.pageConfirmEmail)
	r.POST("/admin/users/:id/reset-password", s.pageAdminResetPassword)
}

// codePage is the data of the pages that send or take a code.
type codePage struct {
	Next    string
	Phone   string // register: the number the code went to
	Account string // reset: the phone number or username
	// DevSMS: SMS goes nowhere on this portal (the development sender): say where codes are.
	DevSMS    bool
	Statement []accounts.ConsentItem
	Version   string
}

func (s *Server) codePage(c *gin.Context) codePage {
	return codePage{Next: safeNext(c.Query("next")), DevSMS: s.devSMS, Statement: accounts.ConsentStatement,
		Version: accounts.ConsentVersion}
}

// registerForm is what the second registration step refills after an error (no passwords).
type registerForm struct {
	Phone, Name, Email string
	Consent            bool
}

func (s *Server) pageRegisterForm(c *gin.Context) {
	s.render(c, http.StatusOK, "register", page{Title: "注册", Data: s.codePage(c), Form: registerForm{}})
}

func (s *Server) pageRegisterCode(c *gin.Context) {
	d := s.codePage(c)
	d.Next = safeNext(c.PostForm("next"))
	phone := strings.TrimSpace(c.PostForm("phone"))
	_, err := s.acc.RequestCode(c.Request.Context(), accounts.CodeRequest{Purpose: models.CodeRegister, Phone: phone}, s.clientInfo(c))
	if err != nil {
		tmpl := "register"
		if c.PostForm("resend") != "" {
			tmpl, d.Phone = "register_verify", phone
		}
		s.formFail(c, tmpl, page{Title: "注册", Data: d, Form: registerForm{Phone: phone}}, err)
		return
	}
	q := url.Values{"phone": {phone}}
	if d.Next != "" {
		q.Set("next", d.Next)
	}
	seeOther(c, "/register/verify?"+q.Encode(), "code_sent")
}

func (s *Server) pageRegisterVerify(c *gin.Context) {
	d := s.codePage(c)
	d.Phone = strings.TrimSpace(c.Query("phone"))
	if len(d.Phone) > 11 {
		d.Phone = ""
	}
	s.render(c, http.StatusOK, "register_verify", page{Title: "注册", Data: d, Flash: flash(c), Form: registerForm{Phone: d.Phone}})
}

func (s *Server) pageRegister(c *gin.Context) {
	in := accounts.Registration{Phone: strings.TrimSpace(c.PostForm("phone")), Code: c.PostForm("code"),
		Password: c.PostForm("password"), Name: c.PostForm("name"), Email: c.PostForm("email"),
		ConsentSensitive: c.PostForm("consent_sensitive") == "1"}
	d := s.codePage(c)
	d.Next, d.Phone = safeNext(c.PostForm("next")), in.Phone
	p := page{Title: "注册", Data: d, Form: registerForm{Phone: in.Phone, Name: in.Name, Email: in.Email, Consent: in.ConsentSensitive}}
	if s.passwordsDiffer(c, "register_verify", p, in.Password, "两次输入的密码不一致") {
		return
	}
	if _, err := s.acc.Register(c.Request.Context(), in); err != nil {
		s.formFail(c, "register_verify", p, err)
		return
	}
	signIn, err := s.acc.Login(c.Request.Context(), in.Phone, in.Password, s.clientInfo(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.setSession(c, signIn)
	next := d.Next
	if next == "" {
		next = "/"
	}
	seeOther(c, next, "registered")
}

func (s *Server) pageForgotForm(c *gin.Context) {
	d := s.codePage(c)
	d.Account = strings.TrimSpace(c.Query("account"))
	s.render(c, http.StatusOK, "password_forgot", page{Title: "找回密码", Data: d})
}

func (s *Server) pageForgot(c *gin.Context) {
	d := s.codePage(c)
	d.Account = strings.TrimSpace(c.PostForm("account"))
	_, err := s.acc.RequestCode(c.Request.Context(), accounts.CodeRequest{Purpose: models.CodeReset, Account: d.Account}, s.clientInfo(c))
	if err != nil {
		tmpl := "password_forgot"
		if c.PostForm("resend") != "" {
			tmpl = "password_reset"
		}
		s.formFail(c, tmpl, page{Title: "找回密码", Data: d}, err)
		return
	}
	seeOther(c, "/password/reset?"+url.Values{"account": {d.Account}}.Encode(), "reset_code_sent")
}

func (s *Server) pageResetForm(c *gin.Context) {
	d := s.codePage(c)
	d.Account = strings.TrimSpace(c.Query("account"))
	if len(d.Account) > 64 {
		d.Account = ""
	}
	s.render(c, http.StatusOK, "password_reset", page{Title: "重置密码", Data: d, Flash: flash(c)})
}

func (s *Server) pageReset(c *gin.Context) {
	in := accounts.PasswordReset{Account: strings.TrimSpace(c.PostForm("account")), Code: c.PostForm("code"), Password: c.PostForm("password")}
	d := s.codePage(c)
	d.Account = in.Account
	p := page{Title: "重置密码", Data: d}
	if s.passwordsDiffer(c, "password_reset", p, in.Password, "两次输入的密码不一致") {
		return
	}
	if err := s.acc.ResetPassword(c.Request.Context(), in); err != nil {
		s.formFail(c, "password_reset", p, err)
		return
	}
	seeOther(c, "/login", "password_reset")
}

func (s *Server) pagePasswordForm(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	s.render(c, http.StatusOK, "password_change", page{Title: "修改密码", Data: actorOf(c), Flash: flash(c)})
}

func (s *Server) pageChangePassword(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	a := actorOf(c)
	in := accounts.PasswordChange{Current: c.PostForm("current_password"), Password: c.PostForm("password")}
	p := page{Title: "修改密码", Data: a}
	if s.passwordsDiffer(c, "password_change", p, in.Password, "两次输入的新密码不一致") {
		return
	}
	tok, _ := c.Cookie(sessionCookie)
	if err := s.acc.ChangePassword(c.Request.Context(), a, in, tok, s.clientInfo(c)); err != nil {
		s.formFail(c, "password_change", p, err)
		return
	}
	seeOther(c, "/me/settings", "password_changed")
}

func (s *Server) pageConfirmEmail(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	if _, err := s.acc.ConfirmEmail(c.Request.Context(), actorOf(c), c.PostForm("code")); err != nil {
		data, lerr := s.settingsPage(c, actorOf(c))
		if lerr != nil {
			s.fail(c, err)
			return
		}
		s.formFail(c, "settings", page{Title: "账号设置", Data: data}, err)
		return
	}
	seeOther(c, "/me/settings", "email_verified")
}

func (s *Server) pageAdminResetPassword(c *gin.Context) {
	id, ok := s.adminID(c)
	if !ok {
		return
	}
	temp, err := s.acc.AdminResetPassword(c.Request.Context(), actorOf(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	p, err := s.usersPage(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, u := range p.Users {
		if u.ID == id {
			p.ResetUser = u.Username
		}
	}
	p.TempPass = temp
	// Rendered, not redirected: the password must not travel in a URL or a later page.
	c.Header("Cache-Control", "no-store")
	s.render(c, http.StatusOK, "admin_users", page{Title: "工作人员账号", Data: p})
}

// passwordsDiffer re-renders the form with msg on password2 when the two passwords typed differ,
// and reports whether it did.
func (s *Server) passwordsDiffer(c *gin.Context, tmpl string, p page, pw, msg string) bool {
	if pw == c.PostForm("password2") {
		return false
	}
	p.Error, p.Errors = msg, map[string]string{"password2": msg}
	s.render(c, http.StatusBadRequest, tmpl, p)
	return true
}

// passwordGate keeps an account that signed in with a temporary password on the password page
// until it has chosen its own: pages redirect there, the API answers 403
// password_change_required; signing out and the password change itself stay open.
func (s *Server) passwordGate() gin.HandlerFunc {
	open := map[string]bool{
		"/me/password": true, "/api/v1/me/password": true, "/logout": true, "/api/v1/session": true,
		"/api/v1/me": true, "/static/*filepath": true, "/healthz": true, "/api/v1/healthz": true,
	}
	return func(c *gin.Context) {
		if !actorOf(c).MustChangePassword || open[c.FullPath()] {
			c.Next()
			return
		}
		if isAPI(c) || c.Request.Method != http.MethodGet {
			s.fail(c, models.E(models.ErrForbidden, "password_change_required", "管理员已重置您的密码，请先设置新密码"))
			return
		}
		c.Redirect(http.StatusSeeOther, "/me/password")
		c.Abort()
	}
}
