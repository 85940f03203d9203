package handlers

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"auxportal/accounts"
	"auxportal/models"
)

// The accounts API: verification codes, registration with a code, the forgotten-password
// reset, password changes, e-mail verification, consents, and the district's staff reset. The
// rules (limits, no enumeration, sessions ended) are in package accounts.

func (s *Server) accountAPIRoutes(r *gin.Engine) {
	api := r.Group("/api/v1")
	api.POST("/verification-codes", s.limit("codes"), s.apiRequestCode)
	api.POST("/applicants", s.limit("register"), s.apiRegister)
	api.POST("/password-reset", s.limit("login"), s.apiResetPassword)
	api.GET("/consent-statement", s.apiConsentStatement)
	// Behind a session: wrong current passwords count in the account's login throttle, and a
	// code takes five tries.
	api.PUT("/me/password", s.apiChangePassword)
	api.POST("/me/email/verify", s.apiConfirmEmail)
	api.GET("/me/consents", s.apiMyConsents)
	api.POST("/users/:id/reset-password", s.apiAdminResetPassword)
}

func (s *Server) apiRequestCode(c *gin.Context) {
	var in accounts.CodeRequest
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	sent, err := s.acc.RequestCode(c.Request.Context(), in, s.clientInfo(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, sent)
}

func (s *Server) apiRegister(c *gin.Context) {
	var in accounts.Registration
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.acc.Register(c.Request.Context(), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"id": u.ID, "username": u.Username})
}

func (s *Server) apiResetPassword(c *gin.Context) {
	var in accounts.PasswordReset
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.acc.ResetPassword(c.Request.Context(), in); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"message": "密码已重置，请用新密码登录。"})
}

func (s *Server) apiConsentStatement(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"kind": accounts.ConsentSensitive, "version": accounts.ConsentVersion,
		"items": accounts.ConsentStatement, "text": accounts.ConsentText()})
}

func (s *Server) apiChangePassword(c *gin.Context) {
	s.answer(c, func(ctx context.Context, a models.Actor) (any, error) {
		var in accounts.PasswordChange
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		tok, _ := c.Cookie(sessionCookie)
		if err := s.acc.ChangePassword(ctx, a, in, tok, s.clientInfo(c)); err != nil {
			return nil, err
		}
		return gin.H{"message": "密码已修改，其他设备上的登录已退出。"}, nil
	})
}

func (s *Server) apiConfirmEmail(c *gin.Context) {
	s.answer(c, func(ctx context.Context, a models.Actor) (any, error) {
		var in struct {
			Code string `json:"code"`
		}
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		return s.acc.ConfirmEmail(ctx, a, in.Code)
	})
}

func (s *Server) apiMyConsents(c *gin.Context) {
	s.answer(c, func(ctx context.Context, a models.Actor) (any, error) {
		cs, err := s.acc.Consents(ctx, a)
		return gin.H{"consents": cs}, err
	})
}

func (s *Server) apiAdminResetPassword(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) {
		temp, err := s.acc.AdminResetPassword(c.Request.Context(), actorOf(c), id)
		if err != nil {
			return nil, err
		}
		return gin.H{"temporary_password": temp, "must_change_password": true}, nil
	})
}
