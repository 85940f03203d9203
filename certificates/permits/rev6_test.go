package permits_test

import (
	"testing"

	"auxportal/models"
)

// Rule T-2 gives a hire one permit, and a revocation is the district admin's decision for good:
// a trainer must not undo it by issuing the same hire a fresh permit (a new number, a new year
// of validity, the suspension and the revocation gone). An expired permit is not renewed by a
// new issue either: its holder goes through the pre-job training again (a new application).
// Neither hire is listed as waiting for a permit, and the bulk issue names them and goes on.
func TestIssue_T2_RevokedOrExpiredHireGetsNoFreshPermit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	hs := e.hires(t, "张三明", "李四", "王五")
	a, err := e.svc.Issue(e.ctx, e.district, hs[0].appID)
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.svc.Issue(e.ctx, e.district, hs[1].appID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Revoke(e.ctx, e.district, a.ID, "严重违反工作纪律"); err != nil {
		t.Fatal(err)
	}
	if err := e.store.UpdatePermit(e.ctx, b.ID, nil, map[string]any{"status": models.PermitExpired}); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Issue(e.ctx, e.trainer, hs[0].appID)
	wantCode(t, err, models.ErrConflict, "permit_revoked")
	_, err = e.svc.Issue(e.ctx, e.district, hs[1].appID)
	wantCode(t, err, models.ErrConflict, "permit_expired")

	rows, err := e.svc.Issuable(e.ctx, e.trainer, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].ApplicationID != hs[2].appID {
		t.Errorf("issuable %+v, want only 王五", rows)
	}
	for _, h := range hs[:2] {
		ps, err := e.store.ListPermits(e.ctx, models.PermitFilter{ApplicationID: &h.appID})
		if err != nil || len(ps) != 1 {
			t.Errorf("application %d has %d permits (%v), want its one", h.appID, len(ps), err)
		}
	}
}
