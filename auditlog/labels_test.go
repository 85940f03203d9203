package auditlog_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"auxportal/auditlog"
)

var actionLike = regexp.MustCompile(`^[a-z_]+\.[a-z_.]*$`)

// auditedActions walks the module's source for what it records in the audit log: string
// literals shaped like actions given to audit helpers (audit, rejudge, AppendAudit), set as an
// AuditEntry's Action, or assigned to a variable named action. "permit."+kind is a prefix.
func auditedActions(t *testing.T) (exact, prefixes map[string]string) {
	t.Helper()
	exact, prefixes = map[string]string{}, map[string]string{}
	fset := token.NewFileSet()
	collect := func(pos token.Pos, e ast.Expr) {
		where := fset.Position(pos).String()
		switch x := e.(type) {
		case *ast.BasicLit:
			if s, err := strconv.Unquote(x.Value); err == nil && x.Kind == token.STRING && actionLike.MatchString(s) {
				if strings.HasSuffix(s, ".") {
					prefixes[s] = where
				} else {
					exact[s] = where
				}
			}
		case *ast.BinaryExpr:
			if l, ok := x.X.(*ast.BasicLit); ok && x.Op == token.ADD && l.Kind == token.STRING {
				if s, err := strconv.Unquote(l.Value); err == nil && actionLike.MatchString(s) {
					prefixes[s] = where
				}
			}
		}
	}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				name := ""
				switch fn := x.Fun.(type) {
				case *ast.Ident:
					name = fn.Name
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				}
				if name == "audit" || name == "rejudge" || name == "AppendAudit" {
					for _, a := range x.Args {
						collect(a.Pos(), a)
					}
				}
			case *ast.KeyValueExpr:
				if k, ok := x.Key.(*ast.Ident); ok && k.Name == "Action" {
					collect(x.Pos(), x.Value)
				}
			case *ast.AssignStmt:
				for i, l := range x.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name == "action" && i < len(x.Rhs) {
						collect(x.Pos(), x.Rhs[i])
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return exact, prefixes
}

// Every action the code records has a Chinese name; an action added without one fails here.
func TestActionNames_EveryAuditedActionIsNamed(t *testing.T) {
	t.Parallel()
	exact, prefixes := auditedActions(t)
	if len(exact) < 25 || len(prefixes) < 2 {
		t.Fatalf("found only %d actions and %d prefixes: the walk is broken", len(exact), len(prefixes))
	}
	for a, where := range exact {
		if !auditlog.Known(a) {
			t.Errorf("%s: action %q has no Chinese name (auditlog/labels.go)", where, a)
		}
	}
	for p, where := range prefixes {
		n := 0
		for _, g := range auditlog.Groups() {
			for _, a := range g.Actions {
				if strings.HasPrefix(a, p) {
					n++
				}
			}
		}
		if n == 0 {
			t.Errorf("%s: actions %q… have no Chinese names", where, p)
		}
	}
	if got := auditlog.ActionName("made.up"); !strings.Contains(got, "made.up") {
		t.Errorf("unknown action shown as %q", got)
	}
}

// Every named action is in one filter group, so the filter can find it.
func TestGroups_CoverEveryAction(t *testing.T) {
	t.Parallel()
	exact, _ := auditedActions(t)
	grouped := map[string]int{}
	for _, g := range auditlog.Groups() {
		for _, a := range g.Actions {
			grouped[a]++
		}
	}
	for a := range exact {
		if grouped[a] != 1 {
			t.Errorf("action %q is in %d filter groups, want 1", a, grouped[a])
		}
	}
}
