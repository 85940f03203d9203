package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm/clause"

	"auxportal/bench/loadkit"
	"auxportal/models"
)

// ceilingRow is the bare handler's table: one row per (worker, item), as an answer is.
type ceilingRow struct {
	K       int64  `gorm:"primaryKey;autoIncrement:false"`
	Seq     int64  `gorm:"not null"`
	Answer  string `gorm:"type:text;not null"`
	SavedAt time.Time
}

func (ceilingRow) TableName() string { return "examday_ceiling" }

// ceiling measures the stack's limit in the same run: a bare Gin handler, started here, that
// binds a save's JSON and does one single-row upsert into the same database through GORM with
// the portal's own driver settings (models.Open), driven by the same client at the same
// concurrency for the same time as the autosave peak. Everything the portal adds on top —
// sessions, authorization, the attempt's checks, the conditional write, the reply — is what
// the ratio autosave/ceiling shows.
func ceiling(ctx context.Context, dsn string, conc int, d time.Duration, timeout time.Duration) (*loadkit.KindStats, time.Duration, float64, error) {
	st, err := models.Open(ctx, dsn, nil)
	if err != nil {
		return nil, 0, 0, err
	}
	defer st.Close()
	db := st.DB()
	if err := db.WithContext(ctx).AutoMigrate(&ceilingRow{}); err != nil {
		return nil, 0, 0, fmt.Errorf("ceiling table: %w", err)
	}
	gin.SetMode(gin.ReleaseMode)
	g := gin.New()
	g.POST("/save", func(c *gin.Context) {
		var in struct {
			K      int64  `json:"k"`
			Seq    int64  `json:"seq"`
			Answer string `json:"answer"`
		}
		if err := c.ShouldBindJSON(&in); err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
			return
		}
		row := ceilingRow{K: in.K, Seq: in.Seq, Answer: in.Answer, SavedAt: time.Now().UTC()}
		err := db.WithContext(c.Request.Context()).Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "k"}},
			DoUpdates: clause.AssignmentColumns([]string{"seq", "answer", "saved_at"}),
		}).Create(&row).Error
		if err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
			return
		}
		c.JSON(http.StatusOK, gin.H{"k": in.K, "seq": in.Seq, "outcome": "accepted"})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, 0, 0, err
	}
	srv := &http.Server{Handler: g, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = srv.Close()
		}
	}()
	cl := loadkit.NewClient("http://"+ln.Addr().String(), conc, timeout)
	k := &loadkit.KindStats{Name: "bare Gin handler: one single-row upsert", Phase: "ceiling"}
	// The bench runs the handler in its own process: its CPU is the bench's.
	cpu := loadkit.NewCPUClock(0, false)
	before := cpu.Sample()["storm"]
	stop := time.Now().Add(d)
	t0 := time.Now()
	loadkit.Parallel(conc, func(w int) {
		r := rand.New(rand.NewPCG(uint64(w), 7))
		for n := int64(1); ctx.Err() == nil && time.Now().Before(stop); n++ {
			key := int64(w)*1000 + r.Int64N(50)
			body := loadkit.MustJSON(map[string]any{"k": key, "seq": n, "answer": `{"choices":["B"]}`})
			cl.PostJSON(ctx, k, "/save", body, "", nil, 200)
		}
	})
	wall := time.Since(t0)
	cpuS := cpu.Sample()["storm"] - before
	return k, wall, cpuS, ctx.Err()
}
