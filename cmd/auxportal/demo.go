package main

import (
	"context"

	"auxportal/accounts"
	"auxportal/clock"
	"auxportal/models"
	"auxportal/recruitment"
	"auxportal/screening"
)

// Demo logins (README lists them). Used only with -demo.
const demoPassword = "demo12345"

// seedDemo adds demo accounts and a published opening, once: if the demo district admin exists,
// it does nothing.
func seedDemo(ctx context.Context, acc *accounts.Service, rec *recruitment.Service, clk clock.Clock) error {
	done, err := acc.UserExists(ctx, "district")
	if err != nil || done {
		return err
	}
	if err := acc.CreateDistrictAdmin(ctx, "district", demoPassword, "区城管局（演示）"); err != nil {
		return err
	}
	return seedDemoData(ctx, acc, rec, clk)
}

func seedDemoData(ctx context.Context, acc *accounts.Service, rec *recruitment.Service, clk clock.Clock) error {
	_, admin, err := acc.Login(ctx, "district", demoPassword, accounts.ClientInfo{IP: "demo"})
	if err != nil {
		return err
	}
	town, err := rec.TownByName(ctx, "三星镇")
	if err != nil {
		return err
	}
	for _, st := range []accounts.StaffInput{
		{Username: "sanxing", Password: demoPassword, Name: "三星镇管理员", Role: models.RoleTownAdmin, TownID: &town.ID},
		{Username: "trainer", Password: demoPassword, Name: "培训员", Role: models.RoleTrainer},
	} {
		if _, err := acc.CreateStaff(ctx, admin, st); err != nil {
			return err
		}
	}
	if _, err := acc.Register(ctx, accounts.RegisterInput{Phone: "13800000001", Password: demoPassword, Name: "张三"}); err != nil {
		return err
	}
	today := screening.DateOf(clk.Now().In(clock.China))
	o, err := rec.CreateOpening(ctx, admin, recruitment.OpeningInput{
		TownID: town.ID, Title: "城市管理辅助人员（巡查岗）", Seats: 3,
		Description: "在执法人员带领下开展市容巡查、宣传劝导、信息采集和隐患排查（事项清单 D-1），实行网格化管理（D-2）。",
		OpensAt:     today.AddDays(-1).String(), ClosesAt: today.AddDays(30).String(),
	})
	if err != nil {
		return err
	}
	_, err = rec.Publish(ctx, admin, o.ID)
	return err
}
