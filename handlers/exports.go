package handlers

import (
	"context"

	"github.com/gin-gonic/gin"

	"auxportal/models"
)

// xlsxByID serves a workbook that one service call makes for the path's numeric "id" (an
// opening's ranking, filing report or roster; a town's filing report).
func (s *Server) xlsxByID(fn func(context.Context, models.Actor, uint64) ([]byte, string, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := idParam(c, "id")
		if err != nil {
			s.fail(c, err)
			return
		}
		b, name, err := fn(c.Request.Context(), actorOf(c), id)
		if err != nil {
			s.fail(c, err)
			return
		}
		sendXLSX(c, b, name)
	}
}
