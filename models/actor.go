package models

// Actor is who is acting: the signed-in user as the services see it. The zero Actor is anonymous.
type Actor struct {
	UserID   uint64
	Username string
	Name     string
	Role     string
	TownID   *uint64
	// MustChangePassword: the account signed in with a temporary password a district admin
	// set; it may do nothing but choose a new one (and sign out).
	MustChangePassword bool
}

// Anonymous reports whether nobody is signed in.
func (a Actor) Anonymous() bool { return a.UserID == 0 }

// IsDistrictAdmin reports whether a is a district admin (区城管局).
func (a Actor) IsDistrictAdmin() bool { return a.Role == RoleDistrictAdmin }

// IsAdmin reports whether a is a district or town admin.
func (a Actor) IsAdmin() bool { return a.Role == RoleDistrictAdmin || a.Role == RoleTownAdmin }

// CanManageTown reports whether a may act on the given town's openings and applications:
// district admins on every town, a town admin on their own only (rule M-1).
func (a Actor) CanManageTown(townID uint64) bool {
	switch a.Role {
	case RoleDistrictAdmin:
		return true
	case RoleTownAdmin:
		return a.TownID != nil && *a.TownID == townID
	}
	return false
}

// TownScope is the town a query must be limited to: nil for district admins (all towns).
func (a Actor) TownScope() *uint64 {
	if a.Role == RoleTownAdmin {
		return a.TownID
	}
	return nil
}

// Deny is the error for an actor who may not do something: ErrUnauthenticated for the
// anonymous (they should sign in first), ErrForbidden for everyone else.
func Deny(a Actor, format string, args ...any) *Error {
	if a.Anonymous() {
		return E(ErrUnauthenticated, "login_required", "请先登录")
	}
	return Forbidden(format, args...)
}
